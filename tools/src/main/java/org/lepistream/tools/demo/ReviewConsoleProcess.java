package org.lepistream.tools.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lepistream.review.cli.ReviewConsoleCli;
import org.lepistream.stack.FreePorts;

/**
 * The demo's expert review console, run as a child process on this module's class path: it has its own heap and log,
 * and the demo talks to it only through topics and its web address, as a deployment would.
 */
final class ReviewConsoleProcess {

    private static final String MAIN = ReviewConsoleCli.class.getName();
    private static final Pattern URL = Pattern.compile("Review console: (http://\\S+)");

    private final Process process;
    final String url;
    final String user;
    final String password;

    private ReviewConsoleProcess(Process process, String url, String user, String password) {
        this.process = process;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Starts the console for the demo's stack with a fresh demo reviewer; waits until it serves. The taxonomy comes
     * from {@code taxonomy} (the demo's labels.csv or the served bundle's folder); {@code extra} adds console settings
     * (the simulated reviewer's).
     */
    static ReviewConsoleProcess start(Path dir, Map<String, Object> client, Path taxonomy, Map<String, String> extra)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String hashLine = hashLine(java, cp, "demo", password, dir);

        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("lepistream.taxonomy", taxonomy.toString());
        p.setProperty("lepistream.state.dir", dir.resolve("review-console-state").toString());
        p.setProperty("lepistream.http.port", String.valueOf(FreePorts.preferred(8090)));
        extra.forEach(p::setProperty);
        int eq = hashLine.indexOf('=');
        p.setProperty(hashLine.substring(0, eq), hashLine.substring(eq + 1));
        Path config = dir.resolve("review-console.properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, "written by lepistream demo for its review console");
        }
        Path log = dir.resolve("review-console.log");
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", cp, MAIN, "review-console", "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher m = URL.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return new ReviewConsoleProcess(process, m.group(1), "demo", password);
            }
            Thread.sleep(300);
        }
        process.destroy();
        throw new IOException("the review console did not start (see " + log + ")");
    }

    private static String hashLine(String java, String cp, String user, String password, Path dir)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-cp", cp, MAIN, "hash-password", user, "--iterations", "100000")
                .redirectError(dir.resolve("review-console.log").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.startsWith("lepistream.user." + user + "=")) {
            throw new IOException("hash-password failed: " + out);
        }
        return out;
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
