package org.lepistream.review.dashboard;

import java.util.Locale;

/**
 * The overlap distributions of reviewed and accepted sightings as an inline SVG bar chart: each group's share per
 * 0.05-wide overlap bin, side by side, so groups of very different sizes compare at a glance.
 */
public final class OverlapPlot {

    private static final int W = 640;
    private static final int H = 260;
    private static final int LEFT = 44;
    private static final int BOTTOM = 36;
    private static final int TOP = 24;

    private OverlapPlot() {
    }

    public static String svg(long[] reviewed, long[] accepted) {
        int bins = reviewed.length;
        long nr = sum(reviewed);
        long na = sum(accepted);
        double max = 0.0001;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(share(reviewed[i], nr), share(accepted[i], na)));
        }
        double plotW = W - LEFT - 10;
        double plotH = H - TOP - BOTTOM;
        double binW = plotW / bins;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='%d'"
                + " height='%d' role='img' aria-label='Overlap distribution of reviewed and accepted sightings'>", W, H,
                W, H));
        s.append("<rect x='0' y='0' width='100%' height='100%' fill='#fff'/>");
        for (int t = 0; t <= 4; t++) {
            double y = TOP + plotH - plotH * t / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e5e5e5'/>"
                    + "<text x='%d' y='%.1f' font-size='10' text-anchor='end' fill='#555'>%.0f%%</text>", LEFT, y,
                    W - 10, y, LEFT - 4, y + 3, 100 * max * t / 4.0));
        }
        for (int i = 0; i < bins; i++) {
            double x = LEFT + i * binW;
            bar(s, x + 1, binW / 2 - 1, share(reviewed[i], nr) / max * plotH, plotH, "#d9822b", reviewed[i]);
            bar(s, x + binW / 2, binW / 2 - 1, share(accepted[i], na) / max * plotH, plotH, "#2b7bd9", accepted[i]);
            if (i % 4 == 0) {
                s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' fill='#555'>%.1f</text>",
                        x, H - BOTTOM + 14, (double) i / bins));
            }
        }
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='10' fill='#555'>1.0</text>", W - 22,
                H - BOTTOM + 14));
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' fill='#333'>Over-CAM overlap</text>",
                W / 2 - 40, H - 6));
        s.append(String.format(Locale.ROOT, "<rect x='%d' y='6' width='10' height='10' fill='#d9822b'/><text x='%d'"
                + " y='15' font-size='11'>sent to review (n=%d)</text><rect x='%d' y='6' width='10' height='10'"
                + " fill='#2b7bd9'/><text x='%d' y='15' font-size='11'>accepted (n=%d)</text>", LEFT, LEFT + 14, nr,
                LEFT + 200, LEFT + 214, na));
        return s.append("</svg>").toString();
    }

    private static void bar(StringBuilder s, double x, double w, double h, double plotH, String colour, long n) {
        if (h <= 0) {
            return;
        }
        s.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%d"
                + "</title></rect>", x, TOP + plotH - h, Math.max(1, w), h, colour, n));
    }

    private static double share(long count, long total) {
        return total == 0 ? 0 : (double) count / total;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
