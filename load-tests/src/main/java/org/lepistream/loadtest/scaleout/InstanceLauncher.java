package org.lepistream.loadtest.scaleout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How to start one identification-service process for a config file. */
@FunctionalInterface
public interface InstanceLauncher {

    ProcessBuilder command(Path configFile);

    /** Through the {@code ./lepistream} launcher, which execs the JVM (so the process is the JVM: SIGKILL hits it). */
    static InstanceLauncher script(Path lepistream, String javaOpts) {
        return config -> {
            ProcessBuilder pb = new ProcessBuilder(lepistream.toAbsolutePath().toString(), "serve", "--config",
                    config.toString());
            pb.environment().put("LEPISTREAM_JAVA_OPTS", javaOpts);
            return pb;
        };
    }

    /**
     * A JVM on {@code classPath} running {@code serviceMain} (an integration test's own class path, which holds the
     * service as a test dependency, and the service's main class; this module does not link the service).
     */
    static InstanceLauncher classPath(String classPath, String serviceMain, String javaOpts) {
        return config -> {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(Arrays.stream(javaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
            cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", classPath, serviceMain, "serve", "--config",
                    config.toString()));
            return new ProcessBuilder(cmd);
        };
    }
}
