package org.lepistream.review.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lepistream.review.queue.Outcome;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.queue.Stats;
import org.lepistream.review.taxonomy.TaxonomyIndex;

/**
 * The programme's review figures, computed from the queue, the outcomes and the counters: queue size by reason,
 * labels per reviewer per day, expert–model agreement by rank on the review queue, live accepted precision from
 * audits, model versions seen, and the overlap distributions of sightings sent to review versus accepted.
 */
public record Dashboard(int queued, Map<String, Integer> queueByReason,
        Map<LocalDate, Map<String, Integer>> labelsPerDay, Map<String, Agreement> agreementByRank,
        Map<String, Integer> verdicts, List<ModelVersion> models, long[] reviewOverlap, long[] acceptedOverlap,
        Map<String, Long> problems, List<LivePrecision.Row> livePrecision) {

    /** Expert and model agreed at a rank in {@code agreed} of {@code compared} labels that name a taxon there. */
    public record Agreement(int agreed, int compared) {
        public double rate() {
            return compared == 0 ? Double.NaN : (double) agreed / compared;
        }
    }

    /** A model version: sightings it sent to review, sightings it identified, when it was last seen. */
    public record ModelVersion(String version, long review, long accepted, Instant lastSeen) {
    }

    public static Dashboard of(List<QueueItem> pending, List<Outcome> outcomes, Map<String, Long> stats,
            TaxonomyIndex taxonomy) {
        Map<String, Integer> byReason = new TreeMap<>();
        for (QueueItem item : pending) {
            item.reasons().forEach(r -> byReason.merge(r, 1, Integer::sum));
        }
        Map<LocalDate, Map<String, Integer>> perDay = new TreeMap<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        Map<String, int[]> agreement = new LinkedHashMap<>();
        taxonomy.ranks().forEach(r -> agreement.put(r, new int[2]));
        for (Outcome o : outcomes) {
            LocalDate day = Instant.ofEpochMilli(o.labelledAt()).atZone(ZoneOffset.UTC).toLocalDate();
            perDay.computeIfAbsent(day, d -> new TreeMap<>()).merge(o.reviewerId(), 1, Integer::sum);
            verdicts.merge(o.verdict(), 1, Integer::sum);
            // Audits measure live precision (below), not how experts and model agree on what the model doubted.
            if (o.taxon() == null || o.modelTop() == null || o.reasons().contains(LivePrecision.AUDIT)) {
                continue;
            }
            // A label at genus says nothing about species: compare at the label's rank and every rank above it.
            taxonomy.find(o.rank(), o.taxon()).ifPresent(t -> t.lineage().forEach((rank, name) -> {
                int[] counts = agreement.get(rank);
                String predicted = o.modelTop().get(rank);
                if (counts != null && predicted != null) {
                    counts[1]++;
                    if (predicted.equals(name)) {
                        counts[0]++;
                    }
                }
            }));
        }
        Map<String, Agreement> byRank = new LinkedHashMap<>();
        agreement.forEach((rank, c) -> byRank.put(rank, new Agreement(c[0], c[1])));

        Map<String, long[]> models = new TreeMap<>();
        long[] review = new long[Stats.OVERLAP_BUCKETS];
        long[] accepted = new long[Stats.OVERLAP_BUCKETS];
        Map<String, Long> problems = new TreeMap<>();
        stats.forEach((key, value) -> {
            if (key.startsWith(Stats.MODEL_REVIEW)) {
                models.computeIfAbsent(key.substring(Stats.MODEL_REVIEW.length()), k -> new long[3])[0] = value;
            } else if (key.startsWith(Stats.MODEL_ACCEPTED)) {
                models.computeIfAbsent(key.substring(Stats.MODEL_ACCEPTED.length()), k -> new long[3])[1] = value;
            } else if (key.startsWith(Stats.MODEL_LAST_SEEN)) {
                models.computeIfAbsent(key.substring(Stats.MODEL_LAST_SEEN.length()), k -> new long[3])[2] = value;
            } else if (key.startsWith(Stats.REVIEW_OVERLAP)) {
                review[bucket(key, Stats.REVIEW_OVERLAP)] += value;
            } else if (key.startsWith(Stats.ACCEPTED_OVERLAP)) {
                accepted[bucket(key, Stats.ACCEPTED_OVERLAP)] += value;
            } else {
                problems.put(key, value);
            }
        });
        List<ModelVersion> versions = new ArrayList<>();
        models.forEach((v, c) -> versions.add(new ModelVersion(v, c[0], c[1], Instant.ofEpochMilli(c[2]))));
        versions.sort((a, b) -> b.lastSeen().compareTo(a.lastSeen()));
        return new Dashboard(pending.size(), byReason, perDay, byRank, verdicts, versions, review, accepted,
                problems, LivePrecision.of(outcomes, taxonomy));
    }

    private static int bucket(String key, String prefix) {
        int b = Integer.parseInt(key.substring(prefix.length()));
        return Math.max(0, Math.min(Stats.OVERLAP_BUCKETS - 1, b));
    }
}
