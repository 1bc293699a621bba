package org.lepistream.loadtest.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The load average, recorded with every figure: on a shared machine a number means little without it. */
public final class MachineLoad {

    private MachineLoad() {
    }

    /** "1-min 5-min 15-min" from /proc/loadavg, or "unknown" where there is none. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The busiest processes right now (ps: %CPU, command), one per line; "unknown" without ps. */
    public static String topProcesses(int n) {
        try {
            Process ps = new ProcessBuilder("ps", "-eo", "pcpu,rss,args", "--sort=-pcpu").redirectErrorStream(true).start();
            java.util.List<String> lines = new String(ps.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.contains("ps -eo pcpu")).limit(n + 1L)
                    .map(l -> l.replaceAll("(-cp|-classpath) \\S+", "$1 …"))
                    .map(l -> l.length() > 160 ? l.substring(0, 160) + "…" : l).toList();
            ps.waitFor();
            return String.join("\n", lines);
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }
}
