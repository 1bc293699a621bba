package org.lepistream.streams.intake;

import org.lepistream.vision.data.ImageFetcher;
import java.awt.image.BufferedImage;
import org.lepistream.schemas.DeadLetterReason;
import org.lepistream.schemas.Sighting;

/**
 * The verdict of {@link SightingIntake} on one sighting: admitted with its decoded photo, waiting for its photo to
 * be fetched, or rejected with a reason.
 */
public sealed interface Admission {

    /**
     * A sighting whose photo decoded; {@code imageBytes} are the inline or fetched bytes, and the sighting's content
     * type is the one detected from them.
     */
    record Admitted(Sighting sighting, byte[] imageBytes, BufferedImage image) implements Admission {}

    /** A valid sighting whose photo URI passed the allow-list; {@link SightingIntake#fetch} completes it. */
    record Fetch(Sighting sighting, ImageFetcher.Target target) implements Admission {}

    /** A sighting that cannot be processed; becomes a dead letter. */
    record Rejected(DeadLetterReason reason, String stage, String message) implements Admission {}
}
