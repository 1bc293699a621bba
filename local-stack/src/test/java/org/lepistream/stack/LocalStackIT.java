package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.Compatibility;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.stack.junit.LocalStackExtension;

/** The shared stack: a real broker with the whole topic catalogue, and a real registry set to BACKWARD. */
@ExtendWith(LocalStackExtension.class)
class LocalStackIT {

    @Test
    void brokerHasEveryCatalogueTopicWithItsLayout(LocalStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            Set<String> names = Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toSet());
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            for (TopicSpec spec : Topics.ALL) {
                assertEquals(spec.partitions(), topics.get(spec.name()).partitions().size(), spec.name());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
                spec.configs().forEach((key, value) ->
                        assertEquals(value, config.get(key).value(), spec.name() + " " + key));
            }
        }
    }

    @Test
    void registryAnswersOnLoopbackWithBackwardCompatibility(LocalStack stack) {
        assertTrue(stack.registryUrl().startsWith("http://127.0.0.1:"), stack.registryUrl());
        assertTrue(stack.registryUrl().endsWith("/apis/ccompat/v7"), stack.registryUrl());
        assertTrue(stack.bootstrapServers().startsWith("127.0.0.1:"), stack.bootstrapServers());
        assertEquals(Compatibility.BACKWARD, new RegistryClient(stack.registryUrl()).compatibility(null));
    }

    @Test
    void everyTestGetsTheSameStack(LocalStack first, LocalStack second) {
        assertSame(first, second);
        assertEquals(first.bootstrapServers(), first.clientConfig().get("bootstrap.servers"));
        assertEquals(first.registryUrl(), first.clientProperties().getProperty("schema.registry.url"));
    }
}
