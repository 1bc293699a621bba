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
}
