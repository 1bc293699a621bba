package org.lepistream.streams.batching;

import java.awt.image.BufferedImage;
import org.lepistream.schemas.Sighting;
import org.lepistream.streams.intake.Origin;
import org.lepistream.streams.models.ModelRunner;

/**
 * A sighting with the model's analysis of its photo, on its way to the decision and routing step.
 *
 * @param queueMs from the record's timestamp until its batch started
 * @param inferenceMs time of the batch it ran in
 */
public record AnalysedSighting(Origin origin, Sighting sighting, byte[] imageBytes, BufferedImage image,
        ModelRunner.Output output, long queueMs, long inferenceMs) {}
