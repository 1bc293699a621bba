package org.lepistream.tools.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which of a round's sightings the simulated expert labels, under a fixed label budget so that two sampling
 * strategies compare at equal cost: every review request first (a random subset of them if there are more than the
 * budget), then a random sample of the accepted identifications (the audit) to fill the budget.
 */
public final class Oracle {

    /** The chosen sighting ids, split by why they were chosen. */
    public record Choice(List<String> reviewed, List<String> audited) {
        public int total() {
            return reviewed.size() + audited.size();
        }
    }

    private Oracle() {
    }

    public static Choice choose(List<String> reviewRequests, List<String> accepted, int budget, Random rng) {
        if (budget < 0) {
            throw new IllegalArgumentException("label budget must be >= 0, got " + budget);
        }
        List<String> reviews = new ArrayList<>(reviewRequests);
        List<String> ok = new ArrayList<>(accepted);
        Collections.sort(reviews);
        Collections.sort(ok);
        Collections.shuffle(reviews, rng);
        Collections.shuffle(ok, rng);
        List<String> reviewed = List.copyOf(reviews.subList(0, Math.min(budget, reviews.size())));
        int left = budget - reviewed.size();
        List<String> audited = List.copyOf(ok.subList(0, Math.min(left, ok.size())));
        return new Choice(reviewed, audited);
    }
}
