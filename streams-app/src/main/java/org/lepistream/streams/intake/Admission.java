package org.lepistream.streams.intake;

import java.awt.image.BufferedImage;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;

/** The verdict of {@link SightingIntake} on one sighting: admitted with its decoded photo, or rejected with a reason. */
public sealed interface Admission {

    /** A sighting whose photo decoded; {@code imageBytes} are the inline or fetched bytes. */
    record Admitted(Sighting sighting, byte[] imageBytes, BufferedImage image) implements Admission {}

    /** A sighting that cannot be processed; becomes a dead letter. */
    record Rejected(DeadLetterReason reason, String stage, String message) implements Admission {}
}
