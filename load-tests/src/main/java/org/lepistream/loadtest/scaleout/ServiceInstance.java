package org.lepistream.loadtest.scaleout;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.lepistream.schemas.connect.Secrets;
import org.lepistream.stack.FreePorts;

/** One service process of a scale-out run: its own config file, state folder, health port and log. */
public final class ServiceInstance implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceInstance(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Writes {@code dir/NAME.properties} (the shared settings plus this instance's state folder and health port) and
     * starts the process with its output in {@code dir/NAME.log}.
     */
    public static ServiceInstance start(String name, Map<String, String> settings, Path dir, InstanceLauncher launcher)
            throws IOException {
        Files.createDirectories(dir);
        int port = FreePorts.any();
        Properties p = new Properties();
        p.putAll(settings);
        p.setProperty("lepistream.state.dir", dir.resolve(name + "-state").toString());
        p.setProperty("lepistream.http.host", "127.0.0.1");
        p.setProperty("lepistream.http.port", String.valueOf(port));
        Path config = dir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, "scale-out instance " + name);
        }
        config.toFile().setReadable(false, false); // may hold SASL/registry credentials
        config.toFile().setReadable(true, true);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = launcher.command(config).redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServiceInstance(name, pb.start(), port, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until /ready answers 200 (model loaded, stream RUNNING); false on timeout or when the process died. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** SIGKILL: no shutdown hook, no commit, no leave-group — a crashed node. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and a graceful close (leaves the group); SIGKILL after 40 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The last lines of the log, credentials masked, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return name + " (pid " + pid() + ") log tail:\n" + Secrets.redactUrl(String.join("\n",
                    all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException e) {
            return name + ": no log (" + e.getMessage() + ")";
        }
    }
}
