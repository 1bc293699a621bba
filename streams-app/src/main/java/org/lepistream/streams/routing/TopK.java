package org.lepistream.streams.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The k most probable nodes of one rank, best first. */
public final class TopK {

    /** One candidate: node index and probability. */
    public record Candidate(int index, double probability) {}

    private TopK() {}

    /** Best first; ties broken by lower index so the order is deterministic. */
    public static List<Candidate> of(double[] probabilities, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        return new ArrayList<>(IntStream.range(0, probabilities.length)
                .mapToObj(i -> new Candidate(i, probabilities[i]))
                .sorted(Comparator.comparingDouble(Candidate::probability).reversed()
                        .thenComparingInt(Candidate::index))
                .limit(k)
                .toList());
    }
}
