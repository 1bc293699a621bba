package org.lepistream.vision.data;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

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
     * @param timeout connect timeout and time to the response headers for http(s); the total deadline (headers and
     *     body) is the {@link FetchPool}'s
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

    /** A URI that passed the allow-list: what to fetch, and the host it counts against for concurrency. */
    public record Target(URI uri, String host) {}

    /** Fetches the bytes, or explains why not. Never contacts an address that the allow-list does not name. */
    public byte[] fetch(String uriText) throws FetchException {
        return fetch(check(uriText));
    }

    /**
     * Decides whether a URI may be fetched, without any network or file access. Paths are decoded before they are
     * matched, and encoded slashes, backslashes, dots and percent signs are refused outright: a server decodes them
     * after our check, which is how {@code /photos/%2e%2e/secret} would otherwise reach {@code /secret}.
     */
    public Target check(String uriText) throws FetchException {
        URI uri;
        try {
            URI given = new URI(uriText.trim());
            uri = given.normalize();
            if (!uri.equals(given) && given.getRawPath() != null && !given.getRawPath().equals(uri.getRawPath())) {
                // "/photos/../x" or "/photos/.;/../x": a path with dot segments is refused, not reinterpreted.
                throw new FetchException(Failure.NOT_ALLOWED, "image URI path has dot segments: refused");
            }
        } catch (URISyntaxException e) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI is not a valid URI");
        }
        if (uri.getScheme() == null || uri.isOpaque()) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI has no scheme or is not hierarchical");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URIs with credentials are refused: " + redact(uri));
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("file") && !scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI scheme '" + scheme + "' is not allowed");
        }
        String path = safePath(uri);
        if (scheme.equals("file")) {
            allowedRoot(uri);
            return new Target(uri, "file");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort();
        boolean ok = host != null && allowed.stream().anyMatch(a -> a.directory() == null && a.scheme().equals(scheme)
                && a.host().equals(host) && a.port() == port && underPrefix(path, a.pathPrefix()));
        if (!ok) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI " + scheme + "://" + host + ":" + port
                    + " (path not shown) is not in the allow-list");
        }
        return new Target(uri, scheme + "://" + host + ":" + port);
    }

    /** Fetches a checked target, waiting for it (no deadline but the header timeout: see {@link FetchPool}). */
    public byte[] fetch(Target target) throws FetchException {
        try {
            return fetchAsync(target, Runnable::run).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FetchException f ? f
                    : new FetchException(Failure.UNREACHABLE, "fetch failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Failure.UNREACHABLE, "interrupted while fetching");
        }
    }

    /**
     * Starts fetching a checked target: http(s) without any thread waiting on it, a file on {@code fileReader}. The
     * future fails with a {@link FetchException}; cancelling it aborts an http transfer.
     */
    public CompletableFuture<byte[]> fetchAsync(Target target, Executor fileReader) {
        if (target.host().equals("file")) {
            CompletableFuture<byte[]> result = new CompletableFuture<>();
            fileReader.execute(() -> {
                try {
                    result.complete(fetchFile(target.uri()));
                } catch (FetchException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new FetchException(Failure.UNREACHABLE, "image file unreadable ("
                            + e.getClass().getSimpleName() + ")"));
                }
            });
            return result;
        }
        return fetchHttp(target.uri());
    }

    /** The decoded path, refused if any encoding or segment could change which resource a server resolves. */
    private static String safePath(URI uri) throws FetchException {
        String raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String lower = raw.toLowerCase(Locale.ROOT);
        for (String encoded : new String[] {"%2e", "%2f", "%5c", "%25", "%00"}) {
            if (lower.contains(encoded)) {
                throw new FetchException(Failure.NOT_ALLOWED, "image URI path contains an encoded dot, slash,"
                        + " backslash, percent or NUL (" + encoded + "): refused");
            }
        }
        String decoded = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (decoded.indexOf('\\') >= 0) {
            throw new FetchException(Failure.NOT_ALLOWED, "image URI path contains a backslash: refused");
        }
        for (String segment : decoded.split("/", -1)) {
            String bare = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
            if (bare.equals(".") || bare.equals("..")) {
                throw new FetchException(Failure.NOT_ALLOWED, "image URI path leaves its directory: refused");
            }
        }
        return decoded;
    }

    /** {@code /photos} allows {@code /photos} and {@code /photos/x}, not {@code /photos-private/x}. */
    private static boolean underPrefix(String path, String prefix) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The allowed directory a file URI lies in (by its normalised absolute path; symlinks are checked on read). */
    private Allowed allowedRoot(URI uri) throws FetchException {
        Path path = filePath(uri);
        for (Allowed a : allowed) {
            if (a.directory() != null && path.startsWith(a.directory())) {
                return a;
            }
        }
        throw new FetchException(Failure.NOT_ALLOWED, "image path " + path + " is outside the allowed directories");
    }

    private static Path filePath(URI uri) throws FetchException {
        try {
            return Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new FetchException(Failure.NOT_ALLOWED, "not a usable file URI: " + redact(uri));
        }
    }

    private byte[] fetchFile(URI uri) throws FetchException {
        Path path = filePath(uri);
        Allowed root = allowedRoot(uri);
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
            throw new FetchException(Failure.UNREACHABLE, "image file unreadable: " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Starts an http(s) fetch without a thread waiting on it: the future completes with the body or fails with a
     * {@link FetchException}; cancelling it aborts the transfer (status and declared length are checked before any
     * body byte is read).
     */
    private CompletableFuture<byte[]> fetchHttp(URI uri) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new FetchException(Failure.NOT_ALLOWED, "image URI " + redact(uri)
                    + " cannot be requested"));
        }
        AtomicReference<LimitedBody> body = new AtomicReference<>();
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> {
            LimitedBody b = new LimitedBody(maxBytes, redact(uri));
            body.set(b);
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            if (info.statusCode() != 200) {
                b.fail(new FetchException(Failure.UNREACHABLE, "image URI " + redact(uri) + " answered HTTP "
                        + info.statusCode()));
            } else if (declared > maxBytes) {
                b.fail(new FetchException(Failure.OVERSIZED, "image at " + redact(uri) + " is " + declared
                        + " bytes, over the limit of " + maxBytes));
            }
            return b;
        });
        exchange.whenComplete((response, failure) -> {
            if (failure == null) {
                result.complete(response.body());
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            result.completeExceptionally(cause instanceof FetchException ? cause
                    : new FetchException(Failure.UNREACHABLE, "image URI " + redact(uri) + " unreachable: "
                            + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage())));
        });
        result.whenComplete((bytes, failure) -> {
            if (result.isCancelled() || failure != null) {
                LimitedBody b = body.get();
                if (b != null) {
                    b.fail(new FetchException(Failure.UNREACHABLE, "aborted"));
                }
                exchange.cancel(true);
            }
        });
        return result;
    }

    private byte[] readLimited(InputStream in, String what) throws IOException, FetchException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
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
                // Decoded, like the paths it is matched against.
                String prefix = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
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
        return uri.getScheme() + "://" + (uri.getHost() == null ? "" : uri.getHost())
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
