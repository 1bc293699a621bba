package org.lepistream.schemas;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.lepistream.schemas.serde.Compatibility;
import org.lepistream.schemas.serde.PublishedSchema;

/**
 * How one topic is laid out and what its values are.
 *
 * @param retentionMs   time-based retention, -1 for unlimited
 * @param compacted     log compaction (latest value per key kept) instead of deletion
 * @param compatibility the value subject's compatibility level in the registry
 */
public record TopicSpec(String name, int partitions, long retentionMs, boolean compacted,
                        Class<? extends SpecificRecord> valueClass, Compatibility compatibility) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueClass, "valueClass");
        Objects.requireNonNull(compatibility, "compatibility");
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + " needs at least one partition, got " + partitions);
        }
        if (retentionMs < -1 || retentionMs == 0) {
            throw new IllegalArgumentException("Topic " + name + " retention must be positive or -1, got " + retentionMs);
        }
    }

    /**
     * A topic whose value subject is FULL_TRANSITIVE: every version can read, and be read by, every other, so neither
     * an independent producer nor an independent reader can be broken by a version the registry accepted.
     */
    public TopicSpec(String name, int partitions, long retentionMs, boolean compacted,
                     Class<? extends SpecificRecord> valueClass) {
        this(name, partitions, retentionMs, compacted, valueClass, Compatibility.FULL_TRANSITIVE);
    }

    /** Avro schema of the values, from the generated class (with Avro's Java-only properties). */
    public Schema valueSchema() {
        return SpecificData.get().getSchema(valueClass);
    }

    /** The value schema as registered: the generated class's without its Java-only properties. */
    public Schema publishedValueSchema() {
        return PublishedSchema.of(valueSchema());
    }

    /** Registry subject of the values (TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }

    /** Topic-level configs: cleanup.policy and retention.ms. */
    public Map<String, String> configs() {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }

    /** A NewTopic for AdminClient.createTopics, with the broker's default replication factor. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs());
    }

    /** A NewTopic for AdminClient.createTopics with an explicit replication factor. */
    public NewTopic toNewTopic(short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(configs());
    }
}
