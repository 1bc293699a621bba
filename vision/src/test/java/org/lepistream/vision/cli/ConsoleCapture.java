package org.lepistream.vision.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Captures what a CLI run prints to System.out or System.err, for tests that call {@link VisionCli#execute}. */
public final class ConsoleCapture {
    private ConsoleCapture() {
    }

    /** What {@code action} printed to System.out. */
    public static String stdoutOf(Runnable action) {
        return capture(() -> System.out, System::setOut, action);
    }

    /** What {@code action} printed to System.err. */
    public static String stderrOf(Runnable action) {
        return capture(() -> System.err, System::setErr, action);
    }

    // The original stream is restored even when the action's assertion fails, so later tests still print.
    private static String capture(Supplier<PrintStream> current, Consumer<PrintStream> replace, Runnable action) {
        PrintStream old = current.get();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        replace.accept(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            replace.accept(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
