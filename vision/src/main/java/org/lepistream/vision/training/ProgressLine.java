package org.lepistream.vision.training;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The live one-line progress display: rewritten in place with {@code \r} on a terminal, one line per update
 * otherwise (so CI logs stay readable).
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean inPlace;
    private int lastLength;

    /** Writes to {@code out}; rewrites in place only when a console is attached. */
    public ProgressLine(PrintStream out) {
        this(out, System.console() != null);
    }

    public ProgressLine(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    /** Shows a new state (replacing the previous one on a terminal). */
    public void show(String text) {
        if (out == null) {
            return;
        }
        if (inPlace) {
            String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
            out.print("\r" + padded);
            lastLength = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Shows a passing state on a terminal only (per-batch ticks would flood a log file). */
    public void tick(String text) {
        if (inPlace) {
            show(text);
        }
    }

    /** Ends the in-place line so later output starts on a fresh line. */
    public void finish() {
        if (out != null && inPlace && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    /** "1h02m", "3m05s" or "42s". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        Duration d = Duration.ofSeconds(Math.round(seconds));
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }
}
