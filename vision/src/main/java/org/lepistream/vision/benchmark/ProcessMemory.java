package org.lepistream.vision.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about this process and machine: resident memory and load average, read from /proc. */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private ProcessMemory() {
    }

    /**
     * Resident set size in KiB (VmRSS). The JVM heap alone would miss PyTorch's native allocations, which are what
     * grows when arrays leak out of a closed NDManager.
     *
     * @throws IllegalStateException when /proc/self/status cannot be read (not Linux)
     */
    public static long residentKib() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException(STATUS + " has no VmRSS line");
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read VmRSS from " + STATUS + " (the soak needs Linux): " + e, e);
        }
    }

    /** The 1, 5 and 15 minute load averages as /proc/loadavg writes them, or "n/a". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "n/a";
        } catch (IOException e) {
            return "n/a";
        }
    }
}
