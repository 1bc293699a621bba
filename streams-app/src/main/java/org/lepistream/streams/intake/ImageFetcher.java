package org.lepistream.streams.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fetches a sighting's photo by URI, only from an allow-list of schemes, hosts and directories; with an empty list
 * (the default) every URI is refused without any network or file access.
 */
public final class ImageFetcher {

    /** Why a fetch failed. */
    public enum Failure { NOT_ALLOWED, UNREACHABLE, OVERSIZED }

    /** A refused or failed fetch. */
    public static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;

        private final Failure failure;

        public FetchException(Failure failure, String message) {
            super(message);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /** One allow-list entry: http(s) scheme+host+port(+path prefix), or a file directory. */
    private record Allowed(String scheme, String host, int port, String pathPrefix, Path directory) {}

    private final List<Allowed> allowed;
    private final long maxBytes;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param allowList entries such as {@code https://images.example.org}, {@code http://127.0.0.1:8080/photos},
     *     {@code file:/srv/photos}; an entry without a port allows only the scheme's default port
     * @param maxBytes largest photo accepted
     * @param timeout connect and read timeout for http(s)
     */
    public ImageFetcher(List<String> allowList, long maxBytes, Duration timeout) {
        List<Allowed> entries = new ArrayList<>();
        for (String raw : allowList) {
            String text = raw.trim();
            if (!text.isEmpty()) {
                entries.add(parseEntry(text));
            }
        }
        this.allowed = List.copyOf(entries);
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        // Redirects are never followed: a redirect is how an allowed host would send us to an address nobody allowed.
        this.http = entries.stream().anyMatch(a -> a.directory() == null)
                ? HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build()
                : null;
    }

    /** An instance that refuses every URI. */
    public static ImageFetcher denyAll() {
        return new ImageFetcher(List.of(), 0, Duration.ofSeconds(1));
    }

    public boolean allowsAnything() {
        return !allowed.isEmpty();
    }

    /** Fetches the bytes, or explains why not. Never contacts an address that the allow-list does not name. */
    public byte[] fetch(String uriText) throws FetchException {
        URI uri;
        try {
            uri = new URI(uriText.trim()).normalize();
        } catch (URISyntaxException e) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI is not a valid URI: " + e.getMessage());
        }
        if (uri.getScheme() == null) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI has no scheme: " + uriText);
        }
        if (uri.getUserInfo() != null) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URIs with credentials are refused: " + redact(uri));
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return fetchFile(uri);
        }
        if (scheme.equals("http") || scheme.equals("https")) {
            return fetchHttp(uri, scheme);
        }
        throw new FetchException(Failure.NOT_ALLOWED, "image URI scheme '" + scheme + "' is not allowed");
    }

    private byte[] fetchFile(URI uri) throws FetchException {
        Path path;
        try {
            path = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new FetchException(Failure.NOT_ALLOWED, "not a usable file URI: " + uri);
        }
        Allowed root = null;
        for (Allowed a : allowed) {
            if (a.directory() != null && path.startsWith(a.directory())) {
                root = a;
                break;
            }
        }
        if (root == null) {
            throw new FetchException(Failure.NOT_ALLOWED, "image path " + path + " is outside the allowed directories");
        }
        try {
            // Resolve symlinks before reading: a link inside an allowed directory must not lead out of it.
            Path real = path.toRealPath();
            if (!real.startsWith(root.directory().toRealPath())) {
                throw new FetchException(Failure.NOT_ALLOWED, "image path " + path + " links outside the allowed directories");
            }
            if (!Files.isRegularFile(real)) {
                throw new FetchException(Failure.UNREACHABLE, "image path " + path + " is not a regular file");
            }
            if (Files.size(real) > maxBytes) {
                throw new FetchException(Failure.OVERSIZED, "image file " + path + " is " + Files.size(real)
                        + " bytes, over the limit of " + maxBytes);
            }
            try (InputStream in = Files.newInputStream(real)) {
                return readLimited(in, path.toString());
            }
        } catch (NoSuchFileException e) {
            throw new FetchException(Failure.UNREACHABLE, "image file not found: " + path);
        } catch (IOException e) {
            throw new FetchException(Failure.UNREACHABLE, "image file unreadable: " + path + ": " + e.getMessage());
        }
    }

    private byte[] fetchHttp(URI uri, String scheme) throws FetchException {
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        boolean ok = host != null && allowed.stream().anyMatch(a -> a.directory() == null && a.scheme().equals(scheme)
                && a.host().equals(host) && a.port() == port && path.startsWith(a.pathPrefix()));
        if (!ok) {
            throw new FetchException(Failure.NOT_ALLOWED, "image host " + scheme + "://" + host + ":" + port
                    + " is not in the allow-list");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new FetchException(Failure.UNREACHABLE, "image URI " + redact(uri) + " answered HTTP "
                            + response.statusCode());
                }
                long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
                if (declared > maxBytes) {
                    throw new FetchException(Failure.OVERSIZED, "image at " + redact(uri) + " is " + declared
                            + " bytes, over the limit of " + maxBytes);
                }
                return readLimited(body, redact(uri));
            }
        } catch (IOException e) {
            throw new FetchException(Failure.UNREACHABLE, "image URI " + redact(uri) + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Failure.UNREACHABLE, "interrupted while fetching " + redact(uri));
        }
    }

    private byte[] readLimited(InputStream in, String what) throws IOException, FetchException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw new FetchException(Failure.OVERSIZED, "image at " + what + " exceeds the limit of " + maxBytes
                        + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static Allowed parseEntry(String text) {
        URI uri;
        try {
            uri = new URI(text).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("image fetch allow-list entry is not a URI: '" + text + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                return new Allowed("file", null, -1, null, Path.of(uri).toAbsolutePath().normalize());
            }
            case "http", "https" -> {
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("allow-list entry '" + text + "' names no host");
                }
                int port = uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort();
                String prefix = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                return new Allowed(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, prefix, null);
            }
            default -> throw new IllegalArgumentException("allow-list entry '" + text
                    + "': only http, https and file URIs can be allowed");
        }
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    private static String redact(URI uri) {
        // Query strings often carry signed-URL tokens; keep them out of dead letters and logs.
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
