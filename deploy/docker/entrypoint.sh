#!/bin/sh
# Runs the image's main class with its subcommand (serve, trainer, review-console ...); exec so that the JVM is PID 1's
# child-free replacement and receives SIGTERM directly (graceful leave-group on shutdown).
set -eu
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "/app/lib/*" "${LEPISTREAM_MAIN}" "$@"
