package org.lepistream.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * In-process stand-in for the Confluent registry REST API, only for testing client logic (caching, retries, auth,
 * error mapping). Real-registry behaviour is proven against Apicurio in local-stack's integration tests.
 */
final class FakeRegistry implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String basePath;
    private final List<String> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<String> contentTypes = new ArrayList<>();
    private final Deque<Integer> scriptedFailures = new ArrayDeque<>();
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
    private final Map<String, String> subjectCompatibility = new HashMap<>();
    private String globalCompatibility = "BACKWARD";
    private String requiredAuthorization;

    FakeRegistry(String basePath) throws IOException {
        this.basePath = basePath;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    synchronized void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            scriptedFailures.add(status);
        }
    }

    synchronized void requireBasicAuth(String user, String password) {
        requiredAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Requests received so far, as "METHOD /path-below-base". */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    synchronized long count(String methodAndPathPrefix) {
        return requests.stream().filter(r -> r.startsWith(methodAndPathPrefix)).count();
    }

    synchronized List<String> authorizations() {
        return new ArrayList<>(authorizations); // null where no header was sent
    }

    synchronized List<String> contentTypes() {
        return new ArrayList<>(contentTypes); // may hold nulls (GETs have no body)
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String fullPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!fullPath.startsWith(basePath)) {
                reply(exchange, 404, error(404, "no API at " + fullPath));
                return;
            }
            String path = fullPath.substring(basePath.length());
            requests.add(method + " " + path);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
                reply(exchange, 401, error(40101, "Unauthorized"));
                return;
            }
            Integer failure = scriptedFailures.poll();
            if (failure != null) {
                reply(exchange, failure, error(failure * 100, "scripted failure"));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode request = body.length == 0 ? null : json.readTree(body);
            route(exchange, method, path.split("/"), request);
        }
    }

    private void route(HttpExchange ex, String method, String[] p, JsonNode request) throws IOException {
        // p[0] is "" because paths start with '/'.
        if (p.length == 2 && p[1].equals("subjects") && method.equals("GET")) {
            reply(ex, 200, versionsBySubject.keySet());
        } else if (p.length == 4 && p[1].equals("subjects") && p[3].equals("versions") && method.equals("POST")) {
            register(ex, decode(p[2]), parse(request));
        } else if (p.length == 3 && p[1].equals("subjects") && method.equals("POST")) {
            lookup(ex, decode(p[2]), parse(request));
        } else if (p.length == 3 && p[1].equals("subjects") && method.equals("DELETE")) {
            List<Integer> versions = versionsBySubject.remove(decode(p[2]));
            if (versions == null) {
                reply(ex, 404, error(40401, "Subject not found"));
            } else {
                List<Integer> numbers = new ArrayList<>();
                for (int i = 1; i <= versions.size(); i++) {
                    numbers.add(i);
                }
                reply(ex, 200, numbers);
            }
        } else if (p.length == 5 && p[1].equals("subjects") && p[4].equals("latest") && method.equals("GET")) {
            List<Integer> versions = versionsBySubject.get(decode(p[2]));
            if (versions == null) {
                reply(ex, 404, error(40401, "Subject not found"));
            } else {
                int id = versions.get(versions.size() - 1);
                reply(ex, 200, Map.of("subject", decode(p[2]), "id", id, "version", versions.size(),
                        "schema", schemasById.get(id - 1).toString()));
            }
        } else if (p.length == 4 && p[1].equals("schemas") && p[2].equals("ids") && method.equals("GET")) {
            int id = Integer.parseInt(p[3]);
            if (id < 1 || id > schemasById.size()) {
                reply(ex, 404, error(40403, "Schema not found"));
            } else {
                reply(ex, 200, Map.of("schema", schemasById.get(id - 1).toString()));
            }
        } else if (p.length == 6 && p[1].equals("compatibility") && method.equals("POST")) {
            String subject = decode(p[3]);
            if (!versionsBySubject.containsKey(subject)) {
                reply(ex, 404, error(40401, "Subject not found"));
            } else {
                reply(ex, 200, Map.of("is_compatible", compatible(subject, parse(request))));
            }
        } else if (p[1].equals("config") && method.equals("PUT")) {
            String level = request.path("compatibility").asText();
            if (p.length == 2) {
                globalCompatibility = level;
            } else {
                subjectCompatibility.put(decode(p[2]), level);
            }
            reply(ex, 200, Map.of("compatibility", level));
        } else if (p[1].equals("config") && method.equals("GET")) {
            String level = p.length == 2 ? globalCompatibility : subjectCompatibility.get(decode(p[2]));
            if (level == null) {
                reply(ex, 404, error(40408, "Subject does not have subject-level compatibility configured"));
            } else {
                reply(ex, 200, Map.of("compatibilityLevel", level));
            }
        } else {
            reply(ex, 404, error(404, "HTTP 404 Not Found"));
        }
    }

    private void register(HttpExchange ex, String subject, Schema schema) throws IOException {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions != null) {
            for (int id : versions) {
                if (schemasById.get(id - 1).equals(schema)) {
                    reply(ex, 200, Map.of("id", id));
                    return;
                }
            }
            if (!compatible(subject, schema)) {
                reply(ex, 409, error(40901, "Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\""));
                return;
            }
        }
        int id = schemasById.indexOf(schema) + 1;
        if (id == 0) {
            schemasById.add(schema);
            id = schemasById.size();
        }
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        reply(ex, 200, Map.of("id", id));
    }

    private void lookup(HttpExchange ex, String subject, Schema schema) throws IOException {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            reply(ex, 404, error(40401, "Subject not found"));
            return;
        }
        for (int v = 0; v < versions.size(); v++) {
            int id = versions.get(v);
            if (schemasById.get(id - 1).equals(schema)) {
                reply(ex, 200, Map.of("subject", subject, "id", id, "version", v + 1, "schema", schema.toString()));
                return;
            }
        }
        reply(ex, 404, error(40403, "Schema not found"));
    }

    // Only BACKWARD against the latest version is modelled: that is lepistream's policy.
    private boolean compatible(String subject, Schema candidate) {
        String level = subjectCompatibility.getOrDefault(subject, globalCompatibility);
        if (!level.startsWith("BACKWARD")) {
            return true;
        }
        List<Integer> versions = versionsBySubject.get(subject);
        Schema latest = schemasById.get(versions.get(versions.size() - 1) - 1);
        return SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private static Schema parse(JsonNode request) {
        return new Schema.Parser().parse(request.path("schema").asText());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> error(int code, String message) {
        return Map.of("error_code", code, "message", message);
    }

    private void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", RegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
