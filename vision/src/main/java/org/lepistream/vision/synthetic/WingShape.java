package org.lepistream.vision.synthetic;

import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.util.Random;

/**
 * A family's wing outline, as radius-from-wing-base functions of angle for the right fore- and hindwing
 * (the left side is mirrored). Angles are in radians in image orientation (y down, 0 = pointing right,
 * negative = towards the head). Families differ only here, so shape is what a model must use for them.
 */
record WingShape(String kind, double foreLength, double apexAngle, double apexWidth, double foreBaseline,
        double hindLength, double hindAngle, double hindWidth, double tailLength, double tailAngle,
        double scallop, int scallopCount) {

    static final double FORE_FROM = Math.toRadians(-100);
    static final double FORE_TO = Math.toRadians(18);
    static final double HIND_FROM = Math.toRadians(-15);
    static final double HIND_TO = Math.toRadians(115);
    static final Point2D FORE_BASE = new Point2D.Double(0.03, -0.06);
    static final Point2D HIND_BASE = new Point2D.Double(0.03, 0.07);
    private static final int STEPS = 72;

    /** Archetypes chosen to be distinct silhouettes; families beyond these get random mixtures. */
    static WingShape archetype(int family, Random random) {
        return switch (family) {
            case 0 -> new WingShape("Broadwing", 1.0, deg(-40), deg(32), 0.55, 0.78, deg(40), deg(40), 0, 0, 0, 0);
            case 1 -> new WingShape("Swallowtail", 1.05, deg(-33), deg(22), 0.45, 0.70, deg(35), deg(35), 0.55,
                    deg(82), 0.06, 9);
            case 2 -> new WingShape("Longwing", 1.18, deg(-22), deg(13), 0.30, 0.58, deg(30), deg(28), 0, 0, 0, 0);
            case 3 -> new WingShape("Roundwing", 0.80, deg(-48), deg(48), 0.78, 0.72, deg(48), deg(55), 0.12,
                    deg(75), 0, 0);
            case 4 -> new WingShape("Anglewing", 0.95, deg(-42), deg(24), 0.50, 0.74, deg(45), deg(38), 0.18,
                    deg(88), 0.16, 11);
            case 5 -> new WingShape("Hawkwing", 1.12, deg(-12), deg(11), 0.42, 0.50, deg(25), deg(30), 0, 0, 0, 0);
            default -> new WingShape("Mixedwing" + family, 0.85 + 0.3 * random.nextDouble(),
                    deg(-50 + 38 * random.nextDouble()), deg(12 + 35 * random.nextDouble()),
                    0.3 + 0.45 * random.nextDouble(), 0.5 + 0.3 * random.nextDouble(),
                    deg(25 + 25 * random.nextDouble()), deg(28 + 25 * random.nextDouble()),
                    random.nextDouble() < 0.4 ? 0.15 + 0.4 * random.nextDouble() : 0,
                    deg(75 + 15 * random.nextDouble()), random.nextDouble() < 0.3 ? 0.1 * random.nextDouble() : 0,
                    7 + random.nextInt(6));
        };
    }

    private static double deg(double degrees) {
        return Math.toRadians(degrees);
    }

    /** This shape with small per-individual variation (the same family never looks pixel-identical). */
    WingShape jittered(Random random) {
        double s = 0.05;
        return new WingShape(kind, foreLength * (1 + s * gauss(random)), apexAngle + deg(3) * gauss(random),
                apexWidth, foreBaseline, hindLength * (1 + s * gauss(random)), hindAngle, hindWidth,
                tailLength * (1 + s * gauss(random)), tailAngle, scallop, scallopCount);
    }

    private static double gauss(Random random) {
        return Math.max(-2, Math.min(2, random.nextGaussian()));
    }

    /** Forewing radius at angle phi (0 outside the wing's span). */
    double foreRadius(double phi) {
        double bump = Math.exp(-sq((phi - apexAngle) / apexWidth));
        double r = foreLength * (foreBaseline + (1 - foreBaseline) * bump);
        return r * taper(phi, FORE_FROM, FORE_TO) * scallops(phi, FORE_FROM);
    }

    /** Hindwing radius at angle phi, including the tail if the family has one. */
    double hindRadius(double phi) {
        double bump = Math.exp(-sq((phi - hindAngle) / hindWidth));
        double r = hindLength * (0.55 + 0.45 * bump);
        double tail = tailLength * Math.exp(-sq((phi - tailAngle) / deg(5)));
        return (r * scallops(phi, HIND_FROM) + tail) * taper(phi, HIND_FROM, HIND_TO);
    }

    /** Closes the wing at both ends of its span so the outline meets the wing base smoothly. */
    private static double taper(double phi, double from, double to) {
        double t = (phi - from) / (to - from);
        if (t <= 0 || t >= 1) {
            return 0;
        }
        return Math.pow(Math.sin(Math.PI * t), 0.35);
    }

    private double scallops(double phi, double from) {
        if (scallop == 0) {
            return 1;
        }
        return 1 - scallop * Math.pow(Math.abs(Math.sin(scallopCount * (phi - from) / 2)), 3);
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Right forewing outline scaled by {@code fraction} of its radius (1 = the whole wing). */
    Path2D foreOutline(double fraction) {
        return outline(true, fraction);
    }

    /** Right hindwing outline scaled by {@code fraction} of its radius. */
    Path2D hindOutline(double fraction) {
        return outline(false, fraction);
    }

    private Path2D outline(boolean fore, double fraction) {
        Point2D base = fore ? FORE_BASE : HIND_BASE;
        double from = fore ? FORE_FROM : HIND_FROM;
        double to = fore ? FORE_TO : HIND_TO;
        Path2D.Double path = new Path2D.Double();
        path.moveTo(base.getX(), base.getY());
        for (int i = 0; i <= STEPS; i++) {
            double phi = from + (to - from) * i / STEPS;
            double r = fraction * (fore ? foreRadius(phi) : hindRadius(phi));
            path.lineTo(base.getX() + r * Math.cos(phi), base.getY() + r * Math.sin(phi));
        }
        path.closePath();
        return path;
    }

    /** A point inside the right fore/hindwing at angle phi and a fraction of that angle's radius. */
    Point2D at(boolean fore, double phi, double fraction) {
        Point2D base = fore ? FORE_BASE : HIND_BASE;
        double r = fraction * (fore ? foreRadius(phi) : hindRadius(phi));
        return new Point2D.Double(base.getX() + r * Math.cos(phi), base.getY() + r * Math.sin(phi));
    }
}
