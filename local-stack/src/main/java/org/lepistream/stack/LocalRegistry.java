package org.lepistream.stack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry run as a child process on 127.0.0.1, serving the Confluent-compatible API that our serde speaks.
 *
 * <p>A child process rather than in-process because Apicurio is a Quarkus application with its own class path.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);
    private static final String CCOMPAT = "/apis/ccompat/v7";
    private static final String JSON = "application/vnd.schemaregistry.v1+json";
    /** Start-up is 5-11 s alone; on a busy two-core machine it can take several times that. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Names the registry's folder on its command line, so that a stale registry can be recognised as ours. */
    private static final String DIR_MARKER = "-Dlepistream.registry.dir=";
    static final String PID_FILE = "registry.pid";

    private final Process process;
    private final int port;
    private final Path logFile;
    private final ClassDataArchive archive;
    private final Thread shutdownHook;
    private boolean stopped;
    private boolean processStopped;

    private final Path pidFile;

    private LocalRegistry(Process process, int port, Path logFile, ClassDataArchive archive, Path pidFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.archive = archive;
        this.pidFile = pidFile;
        // A JVM that exits without close() (Ctrl-C, failed test run) must not leave an orphan registry behind.
        this.shutdownHook = new Thread(this::stopProcess, "lepistream-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the registry and returns once its API answers and global compatibility is BACKWARD.
     *
     * @param workDir    where its log ({@code registry.log}) and, when persistent, its H2 database go
     * @param port       port on 127.0.0.1, or 0 for any free one
     * @param persistent keep schemas in an H2 file under {@code workDir} (else in memory, gone on stop)
     */
    public static LocalRegistry start(Path workDir, int port, boolean persistent) {
        return start(ApicurioDistribution.locate(), workDir, port, persistent);
    }

    /** As {@link #start(Path, int, boolean)} with an explicit distribution. */
    public static LocalRegistry start(ApicurioDistribution distribution, Path workDir, int port, boolean persistent) {
        stopStale(workDir);
        FreePorts.requireFree(port, "the schema registry");
        int httpPort = port > 0 ? port : FreePorts.any();
        Path logFile = workDir.resolve("registry.log");
        ClassDataArchive archive = ClassDataArchive.forDistribution(distribution.home());
        Process process;
        Path pidFile = workDir.resolve(PID_FILE);
        try {
            Files.createDirectories(workDir);
            // Standard input stays a pipe from this JVM: ParentWatch in the child ends the registry when we are gone.
            ProcessBuilder builder = new ProcessBuilder(command(distribution, archive, workDir, httpPort, persistent))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            process = builder.start();
            StaleChild.record(pidFile, process.toHandle());
        } catch (IOException e) {
            throw new StackException("cannot start Apicurio Registry from " + distribution.home() + ": " + e.getMessage(),
                    e);
        }
        LocalRegistry registry = new LocalRegistry(process, httpPort, logFile, archive, pidFile);
        try {
            long started = System.nanoTime();
            registry.awaitReady();
            registry.setGlobalCompatibility("BACKWARD");
            LOG.info("Schema registry up at {} in {} ms (log {})", registry.url(),
                    (System.nanoTime() - started) / 1_000_000, logFile);
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static List<String> command(ApicurioDistribution distribution, ClassDataArchive archive, Path workDir,
                                        int port, boolean persistent) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(archive.jvmOptions());
        // Small heap, serial GC and C1 only: a dev registry holds a few dozen schemas and must start fast on 2 cores.
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.io.tmpdir=" + workDir);
        cmd.add(DIR_MARKER + workDir.toAbsolutePath());
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + port);
        // The prod profile opens 20 JDBC connections up front; one user needs a handful.
        cmd.add("-Dquarkus.datasource.jdbc.initial-size=1");
        cmd.add("-Dquarkus.datasource.jdbc.min-size=1");
        cmd.add("-Dquarkus.datasource.jdbc.max-size=8");
        String db = persistent
                ? "jdbc:h2:file:" + workDir.toAbsolutePath().resolve("registry-db")
                : "jdbc:h2:mem:registry_db";
        cmd.add("-Dquarkus.datasource.jdbc.url=" + db);
        // Like Confluent, treat schemas that differ only in formatting or docs as one: a client registering the
        // pretty-printed .avsc file then gets the id our Java producers got (Apicurio compares raw text by default).
        cmd.add("-Dregistry.ccompat.use-canonical-hash=true");
        // Apicurio's own main class, behind ParentWatch so that the registry never outlives the JVM that started it.
        cmd.add("-cp");
        cmd.add(distribution.runnerJar() + File.pathSeparator + ParentWatchJar.ensure(distribution.home(),
                workDir));
        cmd.add(ParentWatch.class.getName());
        cmd.add(distribution.mainClass());
        return cmd;
    }

    /**
     * Stops a registry that a killed stack left running on {@code workDir} (found by the pid file it wrote there), if
     * it is still alive and really that registry: same start time, and its command line names this folder. Callers
     * must hold the stack folder's lock, so that a live stack's registry is never touched.
     */
    public static void stopStale(Path workDir) {
        StaleChild.stopIfOurs(workDir.resolve(PID_FILE), DIR_MARKER + workDir.toAbsolutePath(), "registry");
    }

    /** The Confluent-compatible base URL, for the {@code schema.registry.url} setting. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT;
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** Where the registry's own output goes. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the registry process and its children; calling it twice is harmless. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs anyway and finds the process gone.
        }
    }

    private synchronized void stopProcess() {
        if (processStopped) {
            return;
        }
        processStopped = true;
        List<ProcessHandle> children = process.descendants().toList();
        boolean graceful = true;
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            // SIGTERM lets Quarkus close the H2 file cleanly (and write the class archive); don't wait forever.
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                graceful = false;
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            graceful = false;
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        archive.afterExit(graceful);
        StaleChild.forget(pidFile);
    }

    private void awaitReady() {
        HttpClient http = client();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready (port " + port + " taken?); last lines of " + logFile + ":\n"
                        + tail(logFile, 15));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for Apicurio Registry", e);
            }
            sleep(200);
        }
        throw new StackException("Apicurio Registry did not answer on " + url() + " within " + READY_TIMEOUT.toSeconds()
                + " s; see " + logFile);
    }

    private void setGlobalCompatibility(String level) {
        HttpRequest put = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", JSON)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> response = client().send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new StackException("registry refused compatibility " + level + ": HTTP " + response.statusCode()
                        + " " + response.body());
            }
        } catch (IOException e) {
            throw new StackException("cannot set registry compatibility: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while configuring the registry", e);
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for Apicurio Registry", e);
        }
    }
}
