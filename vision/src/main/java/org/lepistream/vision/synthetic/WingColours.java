package org.lepistream.vision.synthetic;

import java.awt.Color;
import java.util.Random;

/**
 * A genus's colouring: ground colour, margin colour and margin width. Hues are spread with the golden
 * angle so every genus has a different ground colour (genera are told apart by colour).
 */
record WingColours(String name, Color ground, Color margin, double marginWidth) {
    private static final String[] HUE_NAMES = {"Crimson", "Amber", "Golden", "Lime", "Emerald", "Teal", "Azure",
        "Cobalt", "Violet", "Magenta", "Rose"};

    static WingColours forGenus(int genus, Random random) {
        float hue = (float) ((0.03 + genus * 0.381966) % 1.0);
        float saturation = 0.65f + 0.3f * random.nextFloat();
        float brightness = 0.75f + 0.2f * random.nextFloat();
        Color ground = Color.getHSBColor(hue, saturation, brightness);
        boolean darkMargin = genus % 2 == 0;
        Color margin = darkMargin ? new Color(25, 20, 18)
                : Color.getHSBColor((hue + 0.5f) % 1f, 0.35f, 0.35f);
        double width = 0.12 + 0.12 * random.nextDouble();
        String name = HUE_NAMES[Math.min(HUE_NAMES.length - 1, (int) (hue * HUE_NAMES.length))];
        return new WingColours(name, ground, margin, width);
    }

    /** Ground colour varied per individual (light, wear), without leaving the genus's hue. */
    Color groundFor(Random random) {
        float[] hsb = Color.RGBtoHSB(ground.getRed(), ground.getGreen(), ground.getBlue(), null);
        float hue = (hsb[0] + 0.015f * (float) random.nextGaussian() + 1f) % 1f;
        float brightness = Math.max(0.3f, Math.min(1f, hsb[2] * (0.88f + 0.2f * random.nextFloat())));
        return Color.getHSBColor(hue, hsb[1], brightness);
    }
}
