#!/bin/sh
# The catalogue of schemas/src/main/java/org/lepistream/schemas/Topics.java: name, partitions, retention, compaction.
# Idempotent (--if-not-exists). Replication factor 1: a single-host deployment; use 3 on a real cluster.
set -eu
K=/opt/kafka/bin/kafka-topics.sh
B=kafka:9092
DAY=86400000
$K --bootstrap-server $B --create --if-not-exists --topic sightings --partitions 6 --replication-factor 1 \
   --config retention.ms=$((7 * DAY)) --config max.message.bytes=16777216
$K --bootstrap-server $B --create --if-not-exists --topic identifications --partitions 6 --replication-factor 1 \
   --config retention.ms=$((30 * DAY))
$K --bootstrap-server $B --create --if-not-exists --topic expert-review --partitions 3 --replication-factor 1 \
   --config retention.ms=$((60 * DAY)) --config max.message.bytes=16777216
$K --bootstrap-server $B --create --if-not-exists --topic expert-labels --partitions 3 --replication-factor 1 \
   --config retention.ms=-1
$K --bootstrap-server $B --create --if-not-exists --topic model-releases --partitions 1 --replication-factor 1 \
   --config cleanup.policy=compact
$K --bootstrap-server $B --create --if-not-exists --topic sightings-dlq --partitions 1 --replication-factor 1 \
   --config retention.ms=$((30 * DAY)) --config max.message.bytes=16777216
echo "lepistream topics ready"
