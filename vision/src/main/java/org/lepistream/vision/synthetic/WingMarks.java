package org.lepistream.vision.synthetic;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A species's small markings inside its genus's colouring: spots, bands, eyespots, margin dots, patches,
 * placed in wing-relative polar coordinates so they follow each family's outline. Sibling species differ
 * only here.
 */
record WingMarks(String name, List<Mark> marks) {

    /** One marking; {@code fraction} is the fraction of the wing radius at angle {@code angleDeg}. */
    record Mark(Type type, boolean fore, double angleDeg, double fraction, double size, Color colour, Color ring) {
    }

    /** Kinds of marking. */
    enum Type { SPOT, BAND, EYESPOT }

    private static final Color WHITE = new Color(245, 245, 240);
    private static final Color CREAM = new Color(250, 225, 140);
    private static final Color BLACK = new Color(20, 18, 18);
    private static final Color RED = new Color(205, 40, 30);
    private static final Color BLUE = new Color(60, 110, 230);

    /** The k-th variant; the first eight are hand-picked to be distinct, later ones are random mixtures. */
    static WingMarks variant(int k, Random random) {
        List<Mark> m = new ArrayList<>();
        String name;
        switch (k) {
            case 0 -> {
                name = "Two-spot";
                m.add(spot(true, -45, 0.78, 0.07, WHITE));
                m.add(spot(true, -28, 0.74, 0.06, WHITE));
            }
            case 1 -> {
                name = "Banded";
                m.add(new Mark(Type.BAND, true, 0, 0.62, 0.11, CREAM, null));
            }
            case 2 -> {
                name = "Eyed";
                m.add(new Mark(Type.EYESPOT, false, 45, 0.62, 0.11, BLUE, BLACK));
            }
            case 3 -> {
                name = "Dotted";
                for (int i = 0; i < 6; i++) {
                    m.add(spot(false, -5 + i * 18, 0.82, 0.035, WHITE));
                }
            }
            case 4 -> {
                name = "Banded-eyed";
                m.add(new Mark(Type.BAND, true, 0, 0.55, 0.08, WHITE, null));
                m.add(new Mark(Type.EYESPOT, false, 40, 0.6, 0.09, RED, BLACK));
            }
            case 5 -> {
                name = "Three-spot";
                m.add(spot(true, -60, 0.45, 0.07, BLACK));
                m.add(spot(true, -35, 0.5, 0.07, BLACK));
                m.add(spot(true, -10, 0.5, 0.07, BLACK));
            }
            case 6 -> {
                name = "Red-based";
                m.add(spot(false, 35, 0.3, 0.16, RED));
                m.add(spot(true, -40, 0.3, 0.12, RED));
            }
            case 7 -> {
                name = "Pearl";
                m.add(spot(true, -40, 0.8, 0.05, WHITE));
                for (int i = 0; i < 4; i++) {
                    m.add(spot(false, 10 + i * 22, 0.8, 0.04, CREAM));
                }
            }
            default -> {
                name = "Variant" + k;
                int count = 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    Color c = random.nextBoolean() ? WHITE : random.nextBoolean() ? CREAM : BLACK;
                    boolean fore = random.nextBoolean();
                    double angle = fore ? -70 + 70 * random.nextDouble() : 10 + 70 * random.nextDouble();
                    m.add(random.nextInt(3) == 0
                            ? new Mark(Type.EYESPOT, fore, angle, 0.6, 0.08, RED, BLACK)
                            : spot(fore, angle, 0.4 + 0.45 * random.nextDouble(), 0.04 + 0.05 * random.nextDouble(), c));
                }
            }
        }
        return new WingMarks(name, List.copyOf(m));
    }

    private static Mark spot(boolean fore, double angleDeg, double fraction, double size, Color colour) {
        return new Mark(Type.SPOT, fore, angleDeg, fraction, size, colour, null);
    }
}
