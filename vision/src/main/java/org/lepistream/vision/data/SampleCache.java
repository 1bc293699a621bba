package org.lepistream.vision.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.lepistream.vision.data.LoadReport.Kind;
import org.lepistream.vision.data.LoadReport.Problem;

/**
 * Decoded photos and masks, pre-resized to one square size and kept in memory, so training epochs augment
 * from pixels instead of re-decoding JPEGs (Leeds at 160 px is about 70 MB). Immutable after
 * {@link #build}; safe to read from several threads.
 */
public final class SampleCache {

    /** A cached sample: size×size RGB image, and its size×size black/white mask (null when it has none). */
    public record Entry(Sample sample, BufferedImage image, BufferedImage mask) {
    }

    private final int size;
    private final List<Entry> entries;
    private final Map<String, Entry> byId;
    private final List<Problem> failures;

    private SampleCache(int size, List<Entry> entries, List<Problem> failures) {
        this.size = size;
        this.entries = List.copyOf(entries);
        this.failures = List.copyOf(failures);
        Map<String, Entry> ids = new HashMap<>();
        entries.forEach(e -> ids.put(e.sample().id(), e));
        this.byId = Collections.unmodifiableMap(ids);
    }

    /** Decodes and resizes every sample with the default pixel limit. */
    public static SampleCache build(List<Sample> samples, int size) {
        return build(samples, size, new ImageDecoder());
    }

    /**
     * Decodes and resizes every sample (in parallel). A sample whose image fails is left out and listed in
     * {@link #failures()}; a failing mask leaves the sample in without a mask, also listed.
     */
    public static SampleCache build(List<Sample> samples, int size, ImageDecoder decoder) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        Object[] results = new Object[samples.size()];
        IntStream.range(0, samples.size()).parallel().forEach(i -> results[i] = load(samples.get(i), size, decoder));
        List<Entry> entries = new ArrayList<>();
        List<Problem> failures = new ArrayList<>();
        for (Object r : results) {
            if (r instanceof Entry e) {
                entries.add(e);
            } else if (r instanceof Loaded l) {
                entries.add(l.entry());
                failures.add(l.maskProblem());
            } else {
                failures.add((Problem) r);
            }
        }
        return new SampleCache(size, entries, failures);
    }

    /** An entry whose mask could not be used. */
    private record Loaded(Entry entry, Problem maskProblem) {
    }

    private static Object load(Sample s, int size, ImageDecoder decoder) {
        BufferedImage image;
        try {
            // The same antialiased resampling as a bundle's inference (Preprocessing.ANTIALIASED).
            image = ImageTensors.resizeAntialiased(decoder.decode(Files.readAllBytes(s.image()), size), size);
        } catch (ImageRejectedException e) {
            return new Problem(0, s.id(), s.image().toString(), kind(e), e.getMessage());
        } catch (IOException e) {
            return new Problem(0, s.id(), s.image().toString(), Kind.MISSING, e.getMessage());
        }
        if (s.mask() == null) {
            return new Entry(s, image, null);
        }
        try {
            BufferedImage raw = decoder.decode(Files.readAllBytes(s.mask()), size);
            return new Entry(s, image, binaryMask(raw, size));
        } catch (ImageRejectedException e) {
            return new Loaded(new Entry(s, image, null), new Problem(0, s.id(), s.mask().toString(), kind(e),
                    e.getMessage()));
        } catch (IOException e) {
            return new Loaded(new Entry(s, image, null), new Problem(0, s.id(), s.mask().toString(), Kind.MISSING,
                    e.getMessage()));
        }
    }

    private static Kind kind(ImageRejectedException e) {
        return e.reason() == ImageRejectedException.Reason.OVERSIZED_DIMENSIONS ? Kind.OVERSIZED : Kind.UNREADABLE;
    }

    /** Resized and re-thresholded, so cached masks are exactly black or white. */
    private static BufferedImage binaryMask(BufferedImage raw, int size) {
        float[] bits = ImageTensors.maskToArray(raw, size);
        int[] px = new int[bits.length];
        for (int i = 0; i < bits.length; i++) {
            px[i] = bits[i] > 0 ? 0xFFFFFF : 0;
        }
        BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        mask.setRGB(0, 0, size, size, px, 0, size);
        return mask;
    }

    /** The same photos, entries without a mask taking the one given for their id (if any); ids in neither stay. */
    public SampleCache withMasks(Map<String, BufferedImage> masks) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            BufferedImage m = e.mask() == null ? masks.get(e.sample().id()) : e.mask();
            out.add(m == e.mask() ? e : new Entry(e.sample(), e.image(), m));
        }
        return new SampleCache(size, out, failures);
    }

    /** This cache's entries followed by another's, at the same size. */
    public SampleCache plus(SampleCache other) {
        if (other.size != size) {
            throw new IllegalArgumentException("caches of " + size + " and " + other.size + " px cannot be joined");
        }
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        List<Problem> problems = new ArrayList<>(failures);
        problems.addAll(other.failures);
        return new SampleCache(size, all, problems);
    }

    /** Side length of every cached image and mask. */
    public int imageSize() {
        return size;
    }

    /** Number of cached samples. */
    public int size() {
        return entries.size();
    }

    public Entry get(int index) {
        return entries.get(index);
    }

    /** The entry for a sample id, or null. */
    public Entry get(String id) {
        return byId.get(id);
    }

    /** Entries in the order of the samples given to {@link #build}, minus failed images. */
    public List<Entry> entries() {
        return entries;
    }

    /** Images left out and masks dropped while building (line is 0: the cache does not know CSV lines). */
    public List<Problem> failures() {
        return failures;
    }

    /** Un-augmented network input of one entry at {@code inputSize} (normalised CHW). */
    public float[] tensor(int index, int inputSize) {
        return ImageTensors.toChw(entries.get(index).image(), inputSize);
    }

    /** Un-augmented {0,1} mask of one entry at {@code inputSize}, or null when it has none. */
    public float[] maskArray(int index, int inputSize) {
        BufferedImage mask = entries.get(index).mask();
        return mask == null ? null : ImageTensors.maskToArray(mask, inputSize);
    }
}
