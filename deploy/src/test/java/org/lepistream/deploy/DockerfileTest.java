package org.lepistream.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.deploy.DeployFiles.DEPLOY;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image recipe: multi-stage, natives extracted at build time, non-root, container-aware JVM flags. */
class DockerfileTest {

    private final String dockerfile = DeployFiles.text(DEPLOY.resolve("docker/Dockerfile"));
    private final List<String> lines = Arrays.stream(dockerfile.split("\n")).map(String::strip)
            .filter(l -> !l.startsWith("#")).toList();

    @Test
    void isMultiStageAndTheRuntimeStageRunsAsANonRootUser() {
        long stages = lines.stream().filter(l -> l.startsWith("FROM ")).count();
        assertTrue(stages >= 3, "build, natives and runtime stages expected, got " + stages);
        String runtime = runtimeStage();
        assertFalse(runtime.contains("mvnw"), "the runtime stage must not build");
        assertTrue(runtime.contains("USER 10001:10001"), "the runtime stage must switch to the non-root user");
        assertFalse(lines.stream().anyMatch(l -> l.matches("USER\\s+(root|0)(:.*)?")), "no stage may end as root");
    }

    @Test
    void djlNativesAreBakedInAndTheRuntimeStaysOffline() {
        assertTrue(dockerfile.contains("WarmDjl.java"), "natives are extracted at build time");
        String runtime = runtimeStage();
        assertTrue(runtime.contains("COPY --from=natives --chown=lepistream:lepistream /opt/djl-cache /opt/djl-cache"));
        assertTrue(runtime.contains("DJL_CACHE_DIR=/opt/djl-cache"));
        assertTrue(runtime.contains("-Dai.djl.offline=true"), "the container must never try to download");
        assertFalse(runtime.matches("(?s).*\\b(curl|wget)\\b.*"), "nothing is fetched in the runtime stage");
        assertTrue(DeployFiles.text(DEPLOY.resolve("docker/WarmDjl.java")).contains("Engine.getEngine(\"PyTorch\")"));
    }

    @Test
    void jvmIsSizedByTheContainerAndGetsSignalsDirectly() {
        assertTrue(runtimeStage().contains("-XX:MaxRAMPercentage="), "heap must follow the container limit");
        assertTrue(runtimeStage().contains("-XX:+ExitOnOutOfMemoryError"));
        assertTrue(runtimeStage().contains("OMP_WAIT_POLICY=PASSIVE"));
        String entrypoint = DeployFiles.text(DEPLOY.resolve("docker/entrypoint.sh"));
        assertTrue(entrypoint.contains("exec java"), "the JVM must replace the shell to receive SIGTERM");
    }

    private String runtimeStage() {
        int last = dockerfile.lastIndexOf("\nFROM ");
        return dockerfile.substring(last);
    }
}
