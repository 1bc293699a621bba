package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pid file left by a killed parent: only a live process that is really the recorded child gets stopped. */
class StaleChildIT {

    private static final String MARKER = "-Dlepistream.test.child=stale-child-it";

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void ourLiveChildIsStoppedAndThePidFileRemoved() throws Exception {
        Process child = sleeper(MARKER);
        Path pidFile = dir.resolve("child.pid");
        StaleChild.record(pidFile, child.toHandle());

        assertTrue(StaleChild.stopIfOurs(pidFile, MARKER, "test child"));
        assertTrue(child.waitFor(5, TimeUnit.SECONDS), "still running");
        assertFalse(Files.exists(pidFile));
    }

    @Test
    void aProcessWithoutTheMarkerOrWithAnotherStartTimeIsLeftAlone() throws Exception {
        Process stranger = sleeper("-Dlepistream.test.child=someone-else");
        Path pidFile = dir.resolve("child.pid");
        StaleChild.record(pidFile, stranger.toHandle());
        assertFalse(StaleChild.stopIfOurs(pidFile, MARKER, "test child"));

        // Same pid and marker, but not the process that was recorded (a reused pid): its start time differs.
        Process reused = sleeper(MARKER);
        Files.writeString(pidFile, reused.pid() + " 2001-01-01T00:00:00Z\n");
        assertFalse(StaleChild.stopIfOurs(pidFile, MARKER, "test child"));

        Thread.sleep(500);
        assertTrue(stranger.isAlive() && reused.isAlive(), "a process that is not ours was stopped");
        assertFalse(Files.exists(pidFile), "an untrusted pid file is dropped");
    }

    private Process sleeper(String marker) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, marker, "-cp", System.getProperty("java.class.path"),
                Sleeper.class.getName()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(p);
        return p;
    }

    /** A child that just waits to be stopped. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(120_000);
        }
    }
}
