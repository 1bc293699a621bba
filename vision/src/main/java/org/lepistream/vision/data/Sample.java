package org.lepistream.vision.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One labelled photo: node index per taxonomy rank (top→leaf, -1 where the rank is unknown, e.g. an
 * expert who named only the genus) and the leaf index ({@code labels[depth-1]}, -1 if the species is
 * unknown). {@code mask} is null when the photo has no mask.
 */
public record Sample(String id, Path image, Path mask, int leaf, int[] labels, String split) {
    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(split, "split");
        labels = labels.clone();
        if (labels.length < 2) {
            throw new IllegalArgumentException("labels need one entry per rank (>= 2), got " + labels.length);
        }
        if (leaf != labels[labels.length - 1]) {
            throw new IllegalArgumentException("leaf " + leaf + " differs from the leaf-rank label "
                    + labels[labels.length - 1] + " of sample " + id);
        }
    }

    /** Node index per rank, top→leaf (a copy; -1 = unknown). */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Node index at one rank, -1 if unknown. */
    public int label(int rank) {
        return labels[rank];
    }

    public boolean hasMask() {
        return mask != null;
    }

    /** The same photo without its hand mask (to see what a segmenter makes of it). */
    public Sample withoutMask() {
        return new Sample(id, image, null, leaf, labels, split);
    }

    /** Whether the species (leaf) is known. */
    public boolean hasLeaf() {
        return leaf >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && id.equals(s.id) && image.equals(s.image) && Objects.equals(mask, s.mask)
                && leaf == s.leaf && Arrays.equals(labels, s.labels) && split.equals(s.split);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, image, mask, leaf, Arrays.hashCode(labels), split);
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", " + image + ", mask=" + mask + ", labels=" + Arrays.toString(labels) + ", "
                + split + "]";
    }
}
