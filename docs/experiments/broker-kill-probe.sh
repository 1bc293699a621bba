#!/usr/bin/env bash
# Issue 16 experiment (not part of the build): EpochBoundaryProbe's consume-transform-produce loop against
# `./lepistream stack`, with the stack SIGKILLed and restarted on the same data while the loop runs.
#
#   broker-kill-probe.sh start                              the stack on 29092/28081, coordinator logging at INFO
#   broker-kill-probe.sh age  TXNID EPOCH                   age a transactional id to EPOCH
#   broker-kill-probe.sh run  NAME TXNID N KILLS HANG_AT WHERE
#       seeds N records into in-NAME, runs `cycle` over them and SIGKILLs the stack KILLS times: each kill
#       KILL_AT=timeout (default) within 50 ms of a "due to timeout" rollback line, or KILL_AT=random 4-12 s apart.
#       Ends with the read_committed count per record and the committed offsets against the log ends.
#
# Work folder: $EB (default /tmp/eb): the stack's data, its log (stack.log), and one log per run (run-NAME.log).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EB=${EB:-/tmp/eb}
B=127.0.0.1:29092
mkdir -p "$EB"

probe() {
  java -cp "$(cat "$REPO/streams-app/target/classpath.txt")" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    "$REPO/docs/experiments/EpochBoundaryProbe.java" "$@" 2>&1 | grep -v "INFO\|WARN" | grep -v "^\s" || true
}

start_stack() {
  local from
  from=$(($(wc -l < "$EB/stack.log" 2>/dev/null || echo 0) + 1))
  LEPISTREAM_JAVA_OPTS="-Dorg.slf4j.simpleLogger.log.org.apache.kafka.coordinator=info \
    -Dorg.slf4j.simpleLogger.log.kafka.coordinator=info -Dorg.slf4j.simpleLogger.log.kafka.log=info" \
    nohup "$REPO/lepistream" stack --data-dir "$EB/stack" --kafka-port 29092 --registry-port 28081 \
    >> "$EB/stack.log" 2>&1 &
  for _ in $(seq 1 120); do
    tail -n +"$from" "$EB/stack.log" | grep -q "Press Ctrl-C" && return 0
    sleep 1
  done
  echo "stack did not come up (see $EB/stack.log)" >&2
  return 1
}

# Waits for the next "Completed rollback … due to timeout" line (up to 40 s), or sleeps 4-12 s.
wait_for_kill_moment() {
  if [[ "${KILL_AT:-timeout}" == timeout ]]; then
    local from
    from=$(($(wc -l < "$EB/stack.log") + 1))
    for _ in $(seq 1 800); do
      tail -n +"$from" "$EB/stack.log" | grep -q "due to timeout" && return 0
      sleep 0.05
    done
  else
    sleep $((4 + RANDOM % 8)).$((RANDOM % 10))
  fi
}

run() {
  local name=$1 id=$2 n=$3 kills=$4 at=$5 where=$6
  local log="$EB/run-$name.log"
  probe topics $B "in-$name" "out-$name" 6
  probe seed $B "in-$name" "$name" 0 "$n"
  echo "$(date +%T) seeded $n; $(probe epoch $B "$id")" > "$log"
  probe cycle $B "$id" "g-$name" "in-$name" "out-$name" "$at" "$where" 15000 3000 90 > "$EB/cycle-$name.log" &
  local cycle=$!
  for k in $(seq 1 "$kills"); do
    # Read before the wait: a JVM start here takes 1.5 s, which would stand between the rollback and the kill.
    local before stack
    before=$(probe offsets $B "g-$name" "in-$name")
    stack=$(pgrep -f "StackCli stack")
    wait_for_kill_moment
    kill -0 $cycle 2> /dev/null || break
    kill -KILL "$stack"
    echo "$(date +%T.%N | cut -c1-12) kill $k; offsets before it $before" >> "$log"
    sleep 2
    start_stack
    echo "$(date +%T) back; offsets $(probe offsets $B "g-$name" "in-$name")" >> "$log"
  done
  wait $cycle
  grep -c "failed:" "$EB/cycle-$name.log" | sed 's/$/ transactions failed (fenced or timed out)/' >> "$log"
  tail -n 1 "$EB/cycle-$name.log" >> "$log"
  probe count $B "out-$name" "$name" "$n" >> "$log"
  echo "final offsets $(probe offsets $B "g-$name" "in-$name")" >> "$log"
  echo "\"out of sync\" lines in the stack log: $(grep -c "out of sync" "$EB/stack.log" || true)" >> "$log"
  cat "$log"
}

case "${1:-}" in
  start) start_stack ;;
  age) probe age $B "$2" "$3" ;;
  run) shift; run "$@" ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
