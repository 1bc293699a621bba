package org.lepistream.trainer.loop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.connect.SettingKeys;

/** The catalogue's topics under a prefix, so that several loops (one per sampling arm) share one local stack. */
public final class LoopTopics {
    private final String prefix;

    public LoopTopics(String prefix) {
        this.prefix = prefix;
    }

    public String name(String catalogueName) {
        return prefix + catalogueName;
    }

    /** Creates every prefixed topic with the catalogue's layout (existing ones are kept). */
    public void create(Map<String, Object> clientConfig) throws InterruptedException {
        List<NewTopic> topics = Topics.ALL.stream().map(t -> new TopicSpec(name(t.name()), t.partitions(),
                t.retentionMs(), t.compacted(), t.valueClass()).toNewTopic()).toList();
        try (Admin admin = Admin.create(clientConfig)) {
            for (var e : admin.createTopics(topics).values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": " + ex.getCause());
                    }
                } catch (java.util.concurrent.TimeoutException ex) {
                    throw new IllegalStateException("timed out creating topic " + e.getKey());
                }
            }
        }
    }

    /**
     * A process's topic settings for these topics ({@code lepistream.topic.*} for the service, {@code lepistream.topic.*}
     * for the trainer): only the topics that process reads or writes, since it refuses keys it does not know.
     */
    public Map<String, String> overrides(SettingKeys keys) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (TopicSpec t : Topics.ALL) {
            if (keys.declares("topic." + t.name())) {
                m.put(keys.prefix() + "topic." + t.name(), name(t.name()));
            }
        }
        return m;
    }
}
