package org.lepistream.stack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.Sighting;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.AvroDeserializer;
import org.lepistream.stack.FreePorts;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.lepistream.stack.sighting.PhotoSightings;

/** {@code lepistream produce} against the real stack: photos arrive intact, other files are reported and skipped. */
@ExtendWith(LocalStackExtension.class)
class ProduceCommandIT {

    @TempDir
    Path dir;

    @Test
    void sendsPhotosInlineAndSkipsOtherFiles(LocalStack stack) throws IOException {
        byte[] jpeg = photo(0xFF, 0xD8, 0xFF, 0xE0);
        byte[] png = photo(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        Files.write(dir.resolve("a-monarch.jpg"), jpeg);
        Files.write(dir.resolve("b-cabbage-white.png"), png);
        Files.writeString(dir.resolve("notes.txt"), "seen near the pond", StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("masks"));
        String observer = "it-" + UUID.randomUUID();

        CliRun run = CliRun.of("produce", "--dir", dir.toString(), "--observer", observer, "--source", "it",
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("sent 2, skipped 2"), run.outLines());
        assertTrue(run.err().contains("skipped notes.txt: is not an image"), run.err());
        assertTrue(run.err().contains("skipped masks: is a folder"), run.err());

        PhotoSightings ids = new PhotoSightings(observer, "it");
        Map<String, Sighting> arrived = sightingsOf(stack, observer, 2);
        Sighting monarch = arrived.get(ids.sightingId("a-monarch.jpg"));
        assertEquals("image/jpeg", monarch.getContentType());
        assertArrayEquals(jpeg, bytes(monarch.getImage()));
        assertEquals("a-monarch.jpg", monarch.getMetadata().get(PhotoSightings.FILE_NAME));
        Sighting white = arrived.get(ids.sightingId("b-cabbage-white.png"));
        assertEquals("image/png", white.getContentType());
        assertArrayEquals(png, bytes(white.getImage()));
        assertEquals("it", white.getSource());
    }

    /** A phone photo larger than a record goes by reference and says so; with --by-reference never it is skipped. */
    @Test
    void aPhotoTooBigForARecordGoesByReference(LocalStack stack) throws IOException {
        byte[] small = photo(0xFF, 0xD8, 0xFF, 0xE0);
        byte[] phone = new byte[3_000_000];
        new Random(3).nextBytes(phone);
        System.arraycopy(small, 0, phone, 0, 4);
        Files.write(dir.resolve("a-small.jpg"), small);
        Files.write(dir.resolve("b-phone.jpg"), phone);
        String observer = "it-" + UUID.randomUUID();

        CliRun run = CliRun.of("produce", "--dir", dir.toString(), "--observer", observer,
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("sent 2, skipped 0"), run.outLines());
        assertTrue(run.err().contains("sent b-phone.jpg by reference (file:") && run.err().contains("3.0 MB, over the"
                + " 1.0 MB inline limit"), run.err());
        PhotoSightings ids = new PhotoSightings(observer, "lepistream-produce");
        Map<String, Sighting> arrived = sightingsOf(stack, observer, 2);
        Sighting big = arrived.get(ids.sightingId("b-phone.jpg"));
        assertEquals(null, big.getImage());
        assertEquals(dir.resolve("b-phone.jpg").toUri().toString(), big.getImageUri());
        assertArrayEquals(small, bytes(arrived.get(ids.sightingId("a-small.jpg")).getImage()));

        CliRun never = CliRun.of("produce", "--dir", dir.toString(), "--observer", "it-" + UUID.randomUUID(),
                "--by-reference", "never", "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
        assertEquals(0, never.exitCode(), never.err());
        assertEquals(List.of("sent 1, skipped 1"), never.outLines());
        assertTrue(never.err().contains("skipped b-phone.jpg: 3.0 MB is over the 1.0 MB a Kafka record takes"),
                never.err());
    }

    @Test
    void limitAndRateAreHonoured(LocalStack stack) throws IOException {
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve("p" + i + ".jpg"), photo(0xFF, 0xD8, 0xFF, 0xE1));
        }
        long start = System.nanoTime();
        CliRun run = CliRun.of("produce", "--dir", dir.toString(), "--limit", "3", "--rate", "5",
                "--observer", "it-" + UUID.randomUUID(),
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("sent 3, skipped 0"), run.outLines());
        // Three sightings at 5/s: the third leaves no earlier than 0.4 s after the first.
        assertTrue(elapsedMs >= 400, "took " + elapsedMs + " ms");
    }

    @Test
    void unreachableRegistryAndBadFolderAreOneClearErrorLine(LocalStack stack) throws IOException {
        Files.write(dir.resolve("p.jpg"), photo(0xFF, 0xD8, 0xFF, 0xE1));
        String registry = "http://127.0.0.1:" + FreePorts.any() + "/apis/ccompat/v7";
        CliRun noRegistry = CliRun.of("produce", "--dir", dir.toString(),
                "--bootstrap", stack.bootstrapServers(), "--registry", registry);
        assertEquals(1, noRegistry.exitCode());
        assertEquals(1, noRegistry.errLines().size(), noRegistry.err());
        assertTrue(noRegistry.errLines().get(0).startsWith("error: Schema registry unreachable"), noRegistry.err());

        CliRun noFolder = CliRun.of("produce", "--dir", dir.resolve("missing").toString(),
                "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
        assertEquals(1, noFolder.exitCode());
        assertEquals(List.of("error: " + dir.resolve("missing") + " is not a folder"), noFolder.errLines());
    }

    private static byte[] photo(int... signature) {
        byte[] bytes = new byte[2048];
        new Random(signature.length).nextBytes(bytes);
        for (int i = 0; i < signature.length; i++) {
            bytes[i] = (byte) signature[i];
        }
        return bytes;
    }

    /** The sightings of one observer, read from every partition of the shared topic. */
    private static Map<String, Sighting> sightingsOf(LocalStack stack, String observer, int expected) {
        AvroDeserializer<Sighting> values = new AvroDeserializer<>(Sighting.class);
        values.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        Map<String, Sighting> found = new HashMap<>();
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(), "enable.auto.commit", false,
                "max.partition.fetch.bytes", 16 * 1024 * 1024);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SIGHTINGS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Sighting sighting = values.deserialize(record.topic(), record.value());
                    if (sighting != null && observer.equals(sighting.getObserverId())) {
                        assertEquals(sighting.getSightingId(), record.key(), "key = sightingId");
                        found.put(sighting.getSightingId(), sighting);
                    }
                }
            }
        }
        assertEquals(expected, found.size(), "sightings of " + observer + " found: " + found.keySet());
        return found;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
