package org.lepistream.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid file of a child process (pid and start time), so that a child left running by a parent that was killed
 * can be found and stopped by the next parent. A pid is only trusted when the live process also started at the
 * recorded instant and carries the recorded marker on its command line: pids are reused, and a stranger's process
 * must never be killed.
 */
final class StaleChild {

    private static final Logger LOG = LoggerFactory.getLogger(StaleChild.class);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private StaleChild() {
    }

    static void record(Path pidFile, ProcessHandle child) throws IOException {
        String started = child.info().startInstant().map(Instant::toString).orElse("-");
        Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(tmp, child.pid() + " " + started + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void forget(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // A leftover pid file is checked before it is trusted.
        }
    }

    /**
     * Stops the process named by {@code pidFile} if it is alive and ours (see the class comment), then removes the
     * file. Returns whether a process was stopped.
     */
    static boolean stopIfOurs(Path pidFile, String marker, String what) {
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        Optional<ProcessHandle> live = read(pidFile).flatMap(r -> ProcessHandle.of(r.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> ours(h, r.started(), marker)));
        live.ifPresent(h -> {
            LOG.warn("stopping the {} (pid {}) that an earlier run left behind in {}", what, h.pid(),
                    pidFile.getParent());
            stop(h);
        });
        forget(pidFile);
        return live.isPresent();
    }

    static boolean ours(ProcessHandle process, String started, String marker) {
        ProcessHandle.Info info = process.info();
        boolean sameStart = info.startInstant().map(i -> i.toString().equals(started)).orElse(false);
        boolean marked = info.arguments().map(a -> Arrays.asList(a).contains(marker))
                .orElseGet(() -> info.commandLine().map(c -> c.contains(marker)).orElse(false));
        return sameStart && marked;
    }

    private static void stop(ProcessHandle process) {
        // SIGTERM first: the registry closes its database cleanly on it.
        process.destroy();
        if (!awaitExit(process, GRACE)) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(10));
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private record Recorded(long pid, String started) {
    }

    private static Optional<Recorded> read(Path pidFile) {
        try {
            List<String> parts = Arrays.asList(Files.readString(pidFile, StandardCharsets.UTF_8).trim().split("\\s+"));
            return parts.size() == 2 ? Optional.of(new Recorded(Long.parseLong(parts.get(0)), parts.get(1)))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
