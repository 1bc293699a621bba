package org.lepistream.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.schemas.TopicSpec;
import org.lepistream.schemas.Topics;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.stack.FreePorts;

/**
 * {@code lepistream stack} killed with SIGKILL (no shutdown hook runs): its registry child ends by itself, and the next
 * {@code stack} on the same folder and ports comes up without anyone cleaning up by hand.
 */
class StackKillIT {

    private static final Duration READY = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void killedStackLeavesNothingBehindAndStartsAgainOnTheSamePorts() throws Exception {
        int kafkaPort = FreePorts.any();
        int registryPort = FreePorts.any();
        Path data = work.resolve("stack");
        Path pidFile = data.resolve("registry").resolve("registry.pid");

        Process first = stack(data, kafkaPort, registryPort, work.resolve("first.log"));
        long registryPid;
        try {
            awaitReady(first, work.resolve("first.log"));
            registryPid = Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
            assertTrue(ProcessHandle.of(registryPid).map(ProcessHandle::isAlive).orElse(false), "registry running");
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
            first.destroyForcibly();
        }
        // The registry watches its parent: it must go by itself, not wait for the next stack to clean up.
        ProcessHandle registry = ProcessHandle.of(registryPid).orElse(null);
        if (registry != null) {
            registry.onExit().get(45, TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(registryPid).map(ProcessHandle::isAlive).orElse(false),
                "the registry outlived its killed stack");

        Process second = stack(data, kafkaPort, registryPort, work.resolve("second.log"));
        try {
            awaitReady(second, work.resolve("second.log"));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort))) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("sightings"));
            }
            // The registry answers on its old port, with every contract (stack registers them at start).
            assertTrue(new RegistryClient("http://127.0.0.1:" + registryPort + "/apis/ccompat/v7").subjects()
                    .containsAll(Topics.ALL.stream().map(TopicSpec::valueSubject).toList()));
        } finally {
            second.destroy();
            assertTrue(second.waitFor(90, TimeUnit.SECONDS), "stack did not stop on SIGTERM");
        }
        assertEquals(false, Files.exists(pidFile), "a clean stop removes the registry's pid file");
    }

    private Process stack(Path data, int kafkaPort, int registryPort, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String apicurio = System.getProperty("lepistream.apicurio.home");
        if (apicurio != null) {
            cmd.add("-Dlepistream.apicurio.home=" + apicurio);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StackCli.class.getName(), "stack",
                "--data-dir", data.toString(), "--kafka-port", String.valueOf(kafkaPort),
                "--registry-port", String.valueOf(registryPort)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        // Its own descriptor location: the developer's stack.properties is neither read nor overwritten.
        pb.environment().put("LEPISTREAM_HOME", work.resolve("home").toString());
        return pb.start();
    }

    private static void awaitReady(Process stack, Path log) throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            if (out.contains("Local stack ready")) {
                return;
            }
            if (!stack.isAlive()) {
                throw new AssertionError("stack exited with " + stack.exitValue() + ":\n" + out);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stack not ready within " + READY + ":\n" + Files.readString(log));
    }
}
