package org.lepistream.schemas.cli;

import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * What every lepistream command line shares: failures written for people, one line each, with exit codes the
 * launcher and scripts rely on (0 ok, 1 failed, 2 bad usage or bad input), and log defaults a user can override.
 */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * A command line for {@code root} whose failures print one line: {@code badInput} exceptions (and every
     * IllegalArgumentException) → "error: …", exit 2; IllegalStateException (unreachable cluster, missing topic) →
     * "error: …", exit 1; anything else → "failed: …" with the stack trace, exit 1.
     */
    public static CommandLine of(Object root, Predicate<Exception> badInput) {
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || badInput.test(e)) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            if (e instanceof IllegalStateException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            commandLine.getErr().println("failed: " + e);
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli;
    }

    /** Sets slf4j-simple (or any) system properties given as key, value pairs, unless the user already set them. */
    public static void logDefaults(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("log defaults come in key, value pairs");
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            if (System.getProperty(keyValues[i]) == null) {
                System.setProperty(keyValues[i], keyValues[i + 1]);
            }
        }
    }

    /**
     * The log defaults of a long-running process (service, trainer, console): its own lines at INFO with times,
     * Kafka and DJL (chatty at INFO) at WARN, plus any extra key, value pairs; each only where the user set nothing.
     */
    public static void serviceLogDefaults(String... extraKeyValues) {
        logDefaults(extraKeyValues);
        logDefaults("org.slf4j.simpleLogger.defaultLogLevel", "info",
                "org.slf4j.simpleLogger.log.org.apache.kafka", "warn",
                "org.slf4j.simpleLogger.log.ai.djl", "warn",
                "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error",
                "org.slf4j.simpleLogger.showDateTime", "true",
                "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }
}
