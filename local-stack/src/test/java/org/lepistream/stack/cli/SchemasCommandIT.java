package org.lepistream.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.Compatibility;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.schemas.serde.SchemaVersion;
import org.lepistream.stack.LocalRegistry;

/** {@code schemas register} against a bare registry, as it would run against a production one: no Kafka at all. */
class SchemasCommandIT {

    @Test
    void registersEveryContractWithItsLevelAndIsIdempotent(@TempDir Path dir) {
        try (LocalRegistry registry = LocalRegistry.start(dir, 0, false)) {
            RegistryClient client = new RegistryClient(registry.url());
            assertEquals(List.of(), client.subjects(), "a fresh registry");

            CliRun first = CliRun.of("schemas", "register", "--registry", registry.url());
            assertEquals(0, first.exitCode(), first.err());
            for (TopicSpec topic : Topics.ALL) {
                SchemaVersion latest = client.latest(topic.valueSubject());
                assertEquals(topic.publishedValueSchema(), latest.schema(), topic.name());
                assertEquals(Compatibility.FULL_TRANSITIVE, client.compatibility(topic.valueSubject()));
                assertTrue(first.out().contains(topic.valueSubject() + " ") && first.out().contains("FULL_TRANSITIVE"),
                        first.out());
            }

            CliRun again = CliRun.of("schemas", "register", "--registry", registry.url());
            assertEquals(0, again.exitCode(), again.err());
            assertEquals(first.out(), again.out(), "same ids and versions the second time");
            for (TopicSpec topic : Topics.ALL) {
                assertEquals(1, client.latest(topic.valueSubject()).version(), topic.name());
            }
        }
    }

    @Test
    void anUnreachableRegistryIsOneErrorLine() {
        CliRun run = CliRun.of("schemas", "register", "--registry", "http://127.0.0.1:1/apis/ccompat/v7");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: ") && run.err().contains("127.0.0.1:1"), run.err());
    }
}
