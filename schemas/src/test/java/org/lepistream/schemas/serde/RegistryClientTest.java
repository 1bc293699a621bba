package org.lepistream.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lepistream.schemas.Sighting;

class RegistryClientTest {
    private static final String BASE = "/apis/ccompat/v7";
    private static final Schema V1 = SchemaBuilder.record("Specimen").namespace("test").fields()
            .requiredString("id").endRecord();
    private static final Schema V2_DEFAULTED = SchemaBuilder.record("Specimen").namespace("test").fields()
            .requiredString("id").name("wingspanMm").type().intType().intDefault(0).endRecord();
    private static final Schema V2_REQUIRED = SchemaBuilder.record("Specimen").namespace("test").fields()
            .requiredString("id").requiredInt("wingspanMm").endRecord();

    private FakeRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistry(BASE);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private RegistryClient client(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.putIfAbsent(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        config.putIfAbsent(SerdeConfig.RETRIES_WAIT_MS, 1);
        return new RegistryClient(config);
    }

    @Test
    void registersOnceAndCachesIdsInBothDirections() {
        RegistryClient client = client(Map.of());
        int id = client.register("specimens-value", V1);
        assertEquals(id, client.register("specimens-value", V1));
        assertEquals(V1, client.getById(id));
        assertEquals(1, registry.count("POST /subjects/specimens-value/versions"));
        assertEquals(0, registry.count("GET /schemas/ids/"), "id of a schema it registered is known without asking");

        RegistryClient fresh = client(Map.of());
        assertEquals(V1, fresh.getById(id));
        assertEquals(V1, fresh.getById(id));
        assertEquals(1, registry.count("GET /schemas/ids/" + id));
        assertTrue(registry.contentTypes().contains(RegistryClient.CONTENT_TYPE));
    }

    @Test
    void retriesServiceUnavailableWithExponentialBackoff() {
        registry.failNext(503, 2);
        RegistryClient client = client(Map.of(SerdeConfig.RETRIES_WAIT_MS, 100, SerdeConfig.MAX_RETRIES, 3));
        long start = System.nanoTime();
        int id = client.register("specimens-value", V1);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(id > 0);
        assertEquals(3, registry.count("POST /subjects/specimens-value/versions"));
        assertTrue(elapsedMs >= 100 + 200, "waits 100 ms then 200 ms, took " + elapsedMs);
    }

    @Test
    void backoffDoublesUpToRetriesMaxWaitAndHonoursRetryAfter() {
        RegistryClient client = client(Map.of(SerdeConfig.RETRIES_WAIT_MS, 100, SerdeConfig.RETRIES_MAX_WAIT_MS, 1000));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
                java.util.stream.IntStream.range(0, 6).mapToObj(r -> client.backoff(r, -1)).toList());
        assertEquals(300L, client.backoff(0, 300), "Retry-After wins over our schedule");
        assertEquals(1000L, client.backoff(0, 60_000), "but is capped too");
        assertEquals(1000L, client.backoff(70, -1), "no overflow on long outages");
    }

    @Test
    void givesUpAfterMaxRetriesWithTheLastStatus() {
        registry.failNext(503, 10);
        RegistryClient client = client(Map.of(SerdeConfig.MAX_RETRIES, 2));
        RegistryException e = assertThrows(RegistryException.class, () -> client.register("specimens-value", V1));
        assertEquals(503, e.status());
        assertEquals(50300, e.errorCode());
        assertTrue(e.getMessage().contains("gave up after 3 attempts"), e.getMessage());
        assertEquals(3, registry.count("POST /subjects/"));
    }

    @Test
    void retriesTooManyRequests() {
        registry.failNext(429, 1);
        assertTrue(client(Map.of()).register("specimens-value", V1) > 0);
        assertEquals(2, registry.count("POST /subjects/"));
    }

    @Test
    void doesNotRetryClientErrors() {
        registry.failNext(422, 1);
        RegistryException e = assertThrows(RegistryException.class, () -> client(Map.of()).register("specimens-value", V1));
        assertEquals(422, e.status());
        assertEquals(1, registry.count("POST /subjects/"));
    }

    @Test
    void aConflictOverTheSameSchemaIsARaceLostNotARefusal() {
        // Another writer registered V1 a moment before; the registry answers this one 409 (as Apicurio does when two
        // stream threads register a new subject at once). The schema is there: its id is the answer.
        int id = client(Map.of()).register("specimens-value", V1);
        registry.failNext(409, 1);
        assertEquals(id, client(Map.of()).register("specimens-value", V1));
        // A 409 over a schema the subject does not hold stays a refusal.
        registry.failNext(409, 1);
        assertThrows(IncompatibleSchemaException.class, () -> client(Map.of()).register("specimens-value", V2_DEFAULTED));
    }

    @Test
    void incompatibleSchemaNamesTheSubjectAndItsLevel() {
        RegistryClient client = client(Map.of());
        client.setCompatibility("specimens-value", Compatibility.BACKWARD);
        client.register("specimens-value", V1);

        assertTrue(client.testCompatibility("specimens-value", V2_DEFAULTED));
        assertFalse(client.testCompatibility("specimens-value", V2_REQUIRED));
        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> client.register("specimens-value", V2_REQUIRED));
        assertEquals(409, e.status());
        assertEquals("specimens-value", e.subject());
        assertTrue(e.getMessage().contains("incompatible with the compatibility level BACKWARD of subject 'specimens-value'"),
                e.getMessage());
        assertEquals(2, registry.count("POST /subjects/specimens-value/versions"), "a 409 is not retried");

        int v2 = client.register("specimens-value", V2_DEFAULTED);
        SchemaVersion latest = client.latest("specimens-value");
        assertEquals(v2, latest.id());
        assertEquals(2, latest.version());
        assertEquals(V2_DEFAULTED, latest.schema());
    }

    @Test
    void compatibilityOfANewSubjectIsTrueAndLevelsFallBackToGlobal() {
        RegistryClient client = client(Map.of());
        assertTrue(client.testCompatibility("nothing-yet-value", V2_REQUIRED));
        client.setCompatibility(null, "full");
        assertEquals(Compatibility.FULL, client.compatibility("nothing-yet-value"));
        client.setCompatibility("nothing-yet-value", Compatibility.BACKWARD);
        assertEquals(Compatibility.BACKWARD, client.compatibility("nothing-yet-value"), "the subject's own level wins");
        // Apicurio answers NONE for a subject without a level of its own (Confluent: 404): the global level is in force.
        client.setCompatibility("nothing-yet-value", Compatibility.NONE);
        assertEquals(Compatibility.FULL, client.compatibility("nothing-yet-value"));
        assertThrows(IllegalArgumentException.class, () -> client.setCompatibility(null, "SIDEWAYS"));
    }

    @Test
    void listsLooksUpAndDeletesSubjects() {
        RegistryClient client = client(Map.of());
        int id = client.register("a-value", V1);
        client.register("b-value", Sighting.getClassSchema());
        assertEquals(List.of("a-value", "b-value"), client.subjects());
        SchemaVersion found = client.lookup("a-value", V1);
        assertEquals(id, found.id());
        assertEquals(1, found.version());
        RegistryException missing = assertThrows(RegistryException.class, () -> client.lookup("a-value", V2_REQUIRED));
        assertEquals(404, missing.status());
        assertEquals(40403, missing.errorCode());
        assertEquals(List.of(1), client.deleteSubject("a-value"));
        assertEquals(List.of("b-value"), client.subjects());
    }

    @Test
    void unknownIdIsA404WithTheRegistryErrorCode() {
        RegistryException e = assertThrows(RegistryException.class, () -> client(Map.of()).getById(777));
        assertEquals(404, e.status());
        assertEquals(40403, e.errorCode());
    }

    @Test
    void sendsBasicAuthFromUserInfo() {
        registry.requireBasicAuth("alice", "s3cret");
        RegistryClient client = client(Map.of(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));
        assertTrue(client.register("specimens-value", V1) > 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(expected), registry.authorizations());
    }

    @Test
    void takesCredentialsFromTheUrlWithoutShowingThem() {
        registry.requireBasicAuth("bob", "hunter2");
        String url = registry.url().replace("http://", "http://bob:hunter2@");
        RegistryClient client = client(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url));
        assertTrue(client.register("specimens-value", V1) > 0);
        assertFalse(client.urls().contains("hunter2"), client.urls());
    }

    @Test
    void wrongCredentialsFailAtOnceWithAHint() {
        registry.requireBasicAuth("alice", "s3cret");
        RegistryClient client = client(Map.of(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO, "alice:wrong"));
        RegistryException e = assertThrows(RegistryException.class, () -> client.register("specimens-value", V1));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains(SerdeConfig.BASIC_AUTH_USER_INFO), e.getMessage());
        assertEquals(1, registry.requests().size());
    }

    @Test
    void unreachableRegistryGivesOneClearMessageNamingTheUrl() throws IOException {
        String dead = "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7";
        RegistryClient client = client(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, dead, SerdeConfig.MAX_RETRIES, 1));
        RegistryUnreachableException e = assertThrows(RegistryUnreachableException.class, () -> client.subjects());
        assertEquals("Schema registry unreachable at " + dead + ": connection refused (gave up after 2 attempts)",
                e.getMessage());
    }

    @Test
    void triesUrlsInOrder() throws IOException {
        String dead = "http://127.0.0.1:" + freePort();
        RegistryClient client = client(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, dead + ", " + registry.url()));
        assertTrue(client.register("specimens-value", V1) > 0);
        assertEquals(1, registry.requests().size());
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(ConfigException.class, () -> new RegistryClient(Map.of()));
        assertThrows(ConfigException.class, () -> new RegistryClient("localhost:8081"));
        assertThrows(ConfigException.class, () -> new RegistryClient(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")));
        assertThrows(ConfigException.class, () -> new RegistryClient(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                SerdeConfig.MAX_RETRIES, "many")));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
