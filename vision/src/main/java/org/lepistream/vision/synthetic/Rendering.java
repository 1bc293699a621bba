package org.lepistream.vision.synthetic;

import java.awt.image.BufferedImage;

/**
 * One synthetic photo before JPEG encoding: the image, its exact mask (white = butterfly; exactly the
 * pixels whose centre lies in the butterfly's silhouette) and the clutter background alone, which makes
 * background-swap experiments and mask checks exact.
 */
public record Rendering(BufferedImage image, BufferedImage mask, BufferedImage background) {
}
