package org.lepistream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LocalKafka} broker in a child JVM, so that it can be killed the way a crash kills it (SIGKILL: no shutdown,
 * no flush, no controlled leadership hand-over) and started again on the same data and port.
 *
 * <p>The in-process broker cannot be killed without killing its caller; this is what crash tests run instead. The
 * child ends by itself when this JVM dies (its standard input reaches end-of-file), so a failed test run leaves no
 * broker behind.
 */
public final class KafkaProcess implements AutoCloseable {

    static final String READY_LINE = "lepistream-kafka-ready";
    /** A cold JVM plus log recovery after a crash; several times that on a busy two-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path logDir;
    private final int port;
    private final Path logFile;
    private final List<String> jvmOptions;
    private Process process;

    private KafkaProcess(Path logDir, int port, Path logFile, List<String> jvmOptions) {
        this.logDir = logDir;
        this.port = port;
        this.logFile = logFile;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Starts a broker on {@code logDir} (formatted on first use) and a free port kept for every restart, and returns
     * once it accepts clients.
     *
     * @param logFile    where the child's output goes (appended to across restarts)
     * @param jvmOptions extra options for the child JVM (e.g. log levels)
     */
    public static KafkaProcess start(Path logDir, Path logFile, List<String> jvmOptions) {
        KafkaProcess kafka = new KafkaProcess(logDir.toAbsolutePath(), FreePorts.any(), logFile, jvmOptions);
        kafka.startChild();
        return kafka;
    }

    /** {@code host:port}; the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The child's output. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the child process is running. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash: the broker gets no chance to flush, checkpoint or hand over anything. Waits until gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(30));
        process = null;
    }

    /** Starts the broker again on the same data and port (after {@link #kill()} or {@link #close()}). */
    public synchronized void restart() {
        if (isAlive()) {
            throw new IllegalStateException("the broker is still running");
        }
        startChild();
    }

    /** A clean stop (SIGTERM: the child shuts the broker down in order), forcibly after a minute. Idempotent. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, Duration.ofSeconds(60))) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(10));
        }
        process = null;
    }

    private synchronized void startChild() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KafkaProcess.class.getName());
        cmd.add(logDir.toString());
        cmd.add(String.valueOf(port));
        long from;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            from = Files.exists(logFile) ? Files.size(logFile) : 0;
            // Standard input stays a pipe from this JVM: its end-of-file tells the child that we are gone.
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new StackException("cannot start a Kafka child process: " + e.getMessage(), e);
        }
        awaitReady(from);
    }

    private void awaitReady(long from) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (readyLineAfter(from)) {
                return;
            }
            if (!process.isAlive()) {
                throw new StackException("the Kafka child process exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + LocalRegistry.tail(logFile, 20));
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new StackException("the Kafka child process was not ready within " + READY_TIMEOUT.toSeconds()
                + " s; see " + logFile);
    }

    private boolean readyLineAfter(long from) {
        try (InputStream in = Files.newInputStream(logFile)) {
            in.skipNBytes(from);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(READY_LINE + " " + port);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean awaitExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for the Kafka child process", e);
        }
    }

    /** The child: {@code KafkaProcess LOG_DIR PORT}. Runs the broker until SIGTERM or its parent's end. */
    public static void main(String[] args) throws InterruptedException {
        LocalKafka kafka = LocalKafka.start(Paths.get(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "kafka-child-stop"));
        ParentWatch.exitWhenStdinCloses();
        System.out.println(READY_LINE + " " + kafka.port());
        System.out.flush();
        stopped.await();
    }
}
