package org.lepistream.schemas.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;
import org.lepistream.schemas.connect.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Confluent Schema Registry REST API (also served by Apicurio at /apis/ccompat/v7, Karapace, Redpanda).
 *
 * <p>Thread-safe. Caches schema ids in both directions: ids are immutable in the registry, so they are never evicted.
 * Transient failures (connection errors, 5xx, 408, 429) are retried with exponential backoff, across the configured
 * URLs in order; other 4xx answers fail at once.
 */
public final class RegistryClient {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
    private static final int SUBJECT_NOT_FOUND = 40401;

    private record Endpoint(String base, String display, String authorization) {
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    private final List<Endpoint> endpoints;
    private final int maxRetries;
    private final long retryWaitMs;
    private final long retryMaxWaitMs;
    private final Duration readTimeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    /** A client with default settings for one or more comma-separated base URLs. */
    public RegistryClient(String urls) {
        this(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, urls));
    }

    /** A client configured with Confluent's keys: schema.registry.url, basic.auth.*, max.retries, retries.*, http.*. */
    public RegistryClient(Map<String, ?> config) {
        String urls = SerdeConfig.string(config, SerdeConfig.SCHEMA_REGISTRY_URL, null);
        if (urls == null) {
            throw new ConfigException("Missing required configuration \"" + SerdeConfig.SCHEMA_REGISTRY_URL
                    + "\" (the schema registry base URL, e.g. http://localhost:8081/apis/ccompat/v7)");
        }
        String userInfo = SerdeConfig.string(config, SerdeConfig.BASIC_AUTH_USER_INFO,
                SerdeConfig.string(config, SerdeConfig.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, null));
        // Confluent defaults the source to URL; we also accept a lone user.info, which would otherwise be silently ignored.
        String source = SerdeConfig.string(config, SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                userInfo != null ? "USER_INFO" : "URL").toUpperCase(Locale.ROOT);
        if (!source.equals("USER_INFO") && !source.equals("URL")) {
            throw new ConfigException(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source, "supported sources: USER_INFO, URL");
        }
        if (source.equals("USER_INFO") && userInfo == null) {
            throw new ConfigException(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO needs "
                    + SerdeConfig.BASIC_AUTH_USER_INFO + "=user:password");
        }
        List<Endpoint> parsed = new ArrayList<>();
        for (String url : urls.split(",")) {
            if (!url.isBlank()) {
                parsed.add(endpoint(url.trim(), source.equals("USER_INFO") ? userInfo : null));
            }
        }
        if (parsed.isEmpty()) {
            throw new ConfigException(SerdeConfig.SCHEMA_REGISTRY_URL, urls, "no URL given");
        }
        this.endpoints = List.copyOf(parsed);
        this.maxRetries = (int) SerdeConfig.number(config, SerdeConfig.MAX_RETRIES, SerdeConfig.DEFAULT_MAX_RETRIES, 0);
        this.retryWaitMs = SerdeConfig.number(config, SerdeConfig.RETRIES_WAIT_MS, SerdeConfig.DEFAULT_RETRIES_WAIT_MS, 0);
        this.retryMaxWaitMs = SerdeConfig.number(config, SerdeConfig.RETRIES_MAX_WAIT_MS,
                SerdeConfig.DEFAULT_RETRIES_MAX_WAIT_MS, 0);
        this.readTimeout = Duration.ofMillis(SerdeConfig.number(config, SerdeConfig.HTTP_READ_TIMEOUT_MS,
                SerdeConfig.DEFAULT_HTTP_READ_TIMEOUT_MS, 1));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(SerdeConfig.number(config, SerdeConfig.HTTP_CONNECT_TIMEOUT_MS,
                        SerdeConfig.DEFAULT_HTTP_CONNECT_TIMEOUT_MS, 1)))
                .build();
    }

    private static Endpoint endpoint(String url, String userInfo) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(SerdeConfig.SCHEMA_REGISTRY_URL, Secrets.redactUrl(url), "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new ConfigException(SerdeConfig.SCHEMA_REGISTRY_URL, Secrets.redactUrl(url),
                    "expected an http(s) URL such as http://localhost:8081/apis/ccompat/v7");
        }
        String credentials = userInfo;
        if (credentials == null && uri.getRawUserInfo() != null) {
            credentials = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String base = scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
        String authorization = credentials == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        return new Endpoint(base, base, authorization);
    }

    /** The configured base URLs, without credentials, for messages. */
    public String urls() {
        return endpoints.stream().map(Endpoint::display).collect(Collectors.joining(", "));
    }

    /**
     * Registers the schema under the subject (idempotent) and returns its global id. What is sent is the
     * {@link PublishedSchema} (no Java-only properties), so a Java producer and a client registering the .avsc file
     * meet on one version.
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = call("POST", "/subjects/" + encode(subject) + "/versions", Map.of("schema", PublishedSchema.text(schema)));
        } catch (RegistryException e) {
            if (e.status() == 409) {
                // Two writers registering a new subject at once: Apicurio answers the slower one 409 "artifact
                // already exists" although the schema it holds is this very one. Only a schema not there is refused.
                try {
                    return lookup(subject, schema).id();
                } catch (RegistryException lookupFailed) {
                    if (lookupFailed.status() != 404) {
                        throw lookupFailed;
                    }
                    throw incompatible(subject, e);
                }
            }
            throw e;
        }
        int id = requiredInt(answer, "id", "register");
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The registered version of exactly this schema under the subject; RegistryException with status 404 if none. */
    public SchemaVersion lookup(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject), Map.of("schema", PublishedSchema.text(schema)));
        int id = requiredInt(answer, "id", "lookup");
        idsBySubjectSchema.put(new SubjectSchema(subject, schema), id);
        schemasById.putIfAbsent(id, schema);
        return new SchemaVersion(subject, id, answer.path("version").asInt(0), schema);
    }

    /**
     * The id of exactly this schema under the subject: cached once known (ids never change), else {@link #lookup}.
     * A serializer that must not register asks this for every record.
     */
    public int registeredId(String subject, Schema schema) {
        Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, schema));
        return cached != null ? cached : lookup(subject, schema).id();
    }

    /** The schema with this global id (cached forever: ids are immutable). */
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema schema = parseSchema(answer, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schemasById.get(id);
    }

    /** The newest version registered under the subject (not cached: it changes when someone registers). */
    public SchemaVersion latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = requiredInt(answer, "id", "latest version of " + subject);
        Schema schema = schemasById.computeIfAbsent(id, ignored -> parseSchema(answer, "latest version of " + subject));
        return new SchemaVersion(subject, id, answer.path("version").asInt(0), schema);
    }

    /** Whether the registry would accept the schema as the subject's next version; true when the subject has none yet. */
    public boolean testCompatibility(String subject, Schema schema) {
        try {
            JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    Map.of("schema", PublishedSchema.text(schema)));
            return answer.path("is_compatible").asBoolean(false);
        } catch (RegistryException e) {
            if (e.status() == 404 && (e.errorCode() == SUBJECT_NOT_FOUND || e.errorCode() == 40402 || e.errorCode() == 0)) {
                return true; // nothing registered yet: any schema would be accepted
            }
            throw e;
        }
    }

    /** Sets the compatibility level of a subject, or the global default when subject is null. */
    public void setCompatibility(String subject, Compatibility level) {
        call("PUT", subject == null ? "/config" : "/config/" + encode(subject), Map.of("compatibility", level.name()));
    }

    /** Same as {@link #setCompatibility(String, Compatibility)} with the level by name (e.g. "BACKWARD"). */
    public void setCompatibility(String subject, String level) {
        setCompatibility(subject, Compatibility.parse(level));
    }

    /**
     * The compatibility level in force for the subject: its own, else the global one (the global one for null).
     *
     * <p>Confluent answers 404 for a subject without a level of its own; Apicurio's ccompat API answers NONE instead,
     * even while the global level is stricter, and cannot tell that from a NONE set on purpose. So a subject reading
     * NONE is taken to have no level of its own, and the global level is reported: the stricter reading, which can
     * only over-warn. Set a subject's level explicitly (as {@code lepistream schemas register} does) to be sure.
     */
    public Compatibility compatibility(String subject) {
        if (subject != null) {
            try {
                Compatibility own = levelOf(call("GET", "/config/" + encode(subject), null));
                if (own != Compatibility.NONE) {
                    return own;
                }
            } catch (RegistryException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        return levelOf(call("GET", "/config", null));
    }

    /** Names of all subjects. */
    public List<String> subjects() {
        List<String> names = new ArrayList<>();
        call("GET", "/subjects", null).forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Soft-deletes every version of the subject and returns the deleted version numbers. */
    public List<Integer> deleteSubject(String subject) {
        List<Integer> versions = new ArrayList<>();
        call("DELETE", "/subjects/" + encode(subject), null).forEach(n -> versions.add(n.asInt()));
        idsBySubjectSchema.keySet().removeIf(k -> k.subject().equals(subject));
        return versions;
    }

    private IncompatibleSchemaException incompatible(String subject, RegistryException cause) {
        String level;
        try {
            level = compatibility(subject).name();
        } catch (RuntimeException e) {
            level = "unknown";
        }
        String detail = cause.registryMessage() == null ? "" : ": " + cause.registryMessage();
        return new IncompatibleSchemaException("Schema is incompatible with the compatibility level " + level
                + " of subject '" + subject + "' at " + urls() + detail, subject, cause.errorCode(), cause.registryMessage());
    }

    private static Compatibility levelOf(JsonNode answer) {
        JsonNode level = answer.hasNonNull("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.path("compatibility");
        return Compatibility.parse(level.asText(""));
    }

    private Schema parseSchema(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new RegistryException("The registry's " + what + " is a " + type + " schema, not Avro", 200, 0);
        }
        if (!answer.hasNonNull("schema")) {
            throw new RegistryException("The registry's answer for " + what + " has no schema", 200, 0);
        }
        try {
            return new Schema.Parser().parse(answer.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new RegistryException("The registry's " + what + " is not a valid Avro schema: " + e.getMessage(), 200, 0);
        }
    }

    private static int requiredInt(JsonNode answer, String field, String what) {
        if (!answer.path(field).canConvertToInt()) {
            throw new RegistryException("The registry's answer to " + what + " lacks \"" + field + "\": " + answer, 200, 0);
        }
        return answer.get(field).asInt();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, Object body) {
        byte[] payload;
        try {
            payload = body == null ? null : json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode registry request", e);
        }
        RegistryException lastAnswer = null;
        IOException lastIo = null;
        long retryAfterMs = -1;
        int attempts = 0;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                pause(backoff(attempt - 1, retryAfterMs));
            }
            retryAfterMs = -1;
            attempts++;
            for (Endpoint endpoint : endpoints) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.base() + path))
                        .timeout(readTimeout)
                        .header("Accept", CONTENT_TYPE + ", application/json")
                        .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(payload));
                if (payload != null) {
                    request.header("Content-Type", CONTENT_TYPE);
                }
                if (endpoint.authorization() != null) {
                    request.header("Authorization", endpoint.authorization());
                }
                try {
                    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return parse(response.body(), method + " " + endpoint.display() + path);
                    }
                    RegistryException failure = failure(method, endpoint.display() + path, status, response.body());
                    if (!isTransient(status)) {
                        throw failure;
                    }
                    lastAnswer = failure;
                    lastIo = null;
                    retryAfterMs = retryAfterMs(response);
                    LOG.debug("Registry {} {}{} answered HTTP {}; will retry", method, endpoint.display(), path, status);
                } catch (IOException e) {
                    lastIo = e;
                    lastAnswer = null;
                    LOG.debug("Registry {} {}{} failed: {}", method, endpoint.display(), path, describe(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnreachableException("Interrupted while calling the schema registry at " + urls(), e);
                }
            }
        }
        String tries = " (gave up after " + attempts + (attempts == 1 ? " attempt)" : " attempts)");
        if (lastAnswer != null) {
            throw new RegistryException(lastAnswer.getMessage() + tries, lastAnswer.status(), lastAnswer.errorCode(),
                    lastAnswer.registryMessage(), null);
        }
        throw new RegistryUnreachableException("Schema registry unreachable at " + urls() + ": " + describe(lastIo) + tries,
                lastIo);
    }

    private static boolean isTransient(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    // Package-private for tests: the schedule is checked without sleeping.
    long backoff(int retry, long retryAfterMs) {
        long exponential = retryWaitMs << Math.min(retry, 30);
        long wait = retryAfterMs >= 0 ? retryAfterMs : exponential;
        return Math.min(wait, retryMaxWaitMs);
    }

    private static long retryAfterMs(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim()) * 1000;
            } catch (NumberFormatException e) {
                return -1L; // HTTP-date form: fall back to our own backoff
            }
        }).orElse(-1L);
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnreachableException("Interrupted while waiting to retry the schema registry at " + urls(), e);
        }
    }

    private JsonNode parse(byte[] body, String what) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new RegistryException("The registry's answer to " + what + " is not JSON: " + snippet(body), 200, 0);
        }
    }

    private RegistryException failure(String method, String url, int status, byte[] body) {
        int code = 0;
        String message = null;
        try {
            JsonNode error = json.readTree(body);
            if (error != null) {
                code = error.path("error_code").asInt(0);
                message = error.hasNonNull("message") ? error.get("message").asText() : null;
            }
        } catch (IOException e) {
            message = snippet(body); // not JSON (a proxy's HTML page, say): show its start
        }
        StringBuilder text = new StringBuilder("Schema registry ").append(method).append(' ').append(url)
                .append(" failed: HTTP ").append(status);
        if (code != 0) {
            text.append(" (error_code ").append(code).append(')');
        }
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message);
        }
        if (status == 401 || status == 403) {
            text.append(" - check ").append(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE).append(" and ")
                    .append(SerdeConfig.BASIC_AUTH_USER_INFO);
        }
        return new RegistryException(text.toString(), status, code, message, null);
    }

    private static String snippet(byte[] body) {
        if (body == null) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + readTimeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
