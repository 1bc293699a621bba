package org.lepistream.stack;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;

/** Creates every topic of the catalogue ({@link Topics#ALL}) that does not exist yet. */
public final class CatalogueTopics {

    private CatalogueTopics() {
    }

    /** Creates the missing catalogue topics; existing ones are left as they are (a restart keeps their data). */
    public static void create(String bootstrapServers) {
        List<NewTopic> topics = Topics.ALL.stream().map(TopicSpec::toNewTopic).toList();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException("cannot create topic " + name + ": " + e.getCause().getMessage(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new StackException("timed out creating topic " + name + " on " + bootstrapServers, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted while creating topics", e);
                }
            });
        }
    }
}
