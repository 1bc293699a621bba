package org.lepistream.vision.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-class support, recall, precision and main confusion, as Markdown for people and CSV for spreadsheets. */
public final class PerClassTable {
    private PerClassTable() {
    }

    /** The Markdown table, one row per class in index order. */
    public static String markdown(ConfusionMatrix m) {
        StringBuilder sb = new StringBuilder();
        sb.append("| class | n | recall (top-1) | precision | most confused with |\n");
        sb.append("|---|---:|---:|---:|---|\n");
        for (int c = 0; c < m.size(); c++) {
            int other = m.mostConfusedWith(c);
            sb.append("| ").append(m.names().get(c))
                    .append(" | ").append(m.support(c))
                    .append(" | ").append(fmt(m.recall(c)))
                    .append(" | ").append(fmt(m.precision(c)))
                    .append(" | ").append(other < 0 ? "" : m.names().get(other) + " (" + m.count(c, other) + ")")
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The same rows as CSV ({@code class,n,recall,precision,confused_with,confused_count}). */
    public static String csv(ConfusionMatrix m) {
        List<String> lines = new ArrayList<>();
        lines.add("class,n,recall,precision,confused_with,confused_count");
        for (int c = 0; c < m.size(); c++) {
            int other = m.mostConfusedWith(c);
            lines.add(String.join(",", quote(m.names().get(c)), Integer.toString(m.support(c)), fmt(m.recall(c)),
                    fmt(m.precision(c)), other < 0 ? "" : quote(m.names().get(other)),
                    other < 0 ? "0" : Integer.toString(m.count(c, other))));
        }
        return String.join("\n", lines) + "\n";
    }

    /** Writes {@code <stem>.md} and {@code <stem>.csv} into {@code dir}. */
    public static void write(ConfusionMatrix m, Path dir, String stem) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(stem + ".md"), markdown(m), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(stem + ".csv"), csv(m), StandardCharsets.UTF_8);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
