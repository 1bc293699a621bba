package org.lepistream.trainer.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.lepistream.schemas.metrics.Counter;
import org.lepistream.schemas.metrics.PrometheusText;

/** The trainer's numbers in the Prometheus text format (0.0.4), from the same pieces as the service's. */
public final class TrainerMetrics {

    /** Labels turned into examples, by verdict. */
    public final Counter labelsIngested = new Counter("lepistream_trainer_labels_ingested_total",
            "Expert labels stored as training examples, by verdict", "verdict");
    /** Labels that could not be used, by reason. */
    public final Counter labelsRejected = new Counter("lepistream_trainer_labels_rejected_total",
            "Expert labels rejected (recorded under rejected/ in the dataset store), by reason", "reason");
    /** Training runs started, by how they ended. */
    public final Counter trainings = new Counter("lepistream_trainer_trainings_total",
            "Training runs, by outcome (released, rejected, failed)", "outcome");
    public final Counter releases = new Counter("lepistream_trainer_releases_total",
            "Candidates that passed the gate and were published on model-releases", null);
    public final Counter rejections = new Counter("lepistream_trainer_gate_rejections_total",
            "Candidates refused by the gate, by the first metric that failed", "reason");
    public final Counter joinRecords = new Counter("lepistream_trainer_join_records_total",
            "Sightings, identifications and review requests remembered for joining, by topic", "topic");
    private final Map<String, AtomicLong> examplesByClass = new ConcurrentSkipListMap<>();
    private volatile Supplier<String> currentVersion = () -> "";

    /** Sets the gauge of examples in the store per weight class (easy, low-overlap, wrong, none). */
    public void examplesByWeightClass(Map<String, Long> counts) {
        examplesByClass.keySet().retainAll(counts.keySet());
        counts.forEach((k, v) -> examplesByClass.computeIfAbsent(k, x -> new AtomicLong()).set(v));
    }

    public void currentVersion(Supplier<String> version) {
        this.currentVersion = version;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        labelsIngested.render(out);
        labelsRejected.render(out);
        joinRecords.render(out);
        PrometheusText.header(out, "lepistream_trainer_examples",
                "Examples in the dataset store, by adaptive-sampling weight class", "gauge");
        examplesByClass.forEach((k, v) -> out.append("lepistream_trainer_examples{weight_class=\"").append(k)
                .append("\"} ").append(v.get()).append('\n'));
        trainings.render(out);
        releases.render(out);
        rejections.render(out);
        PrometheusText.header(out, "lepistream_trainer_model_info", "The model version the trainer fine-tunes from",
                "gauge");
        out.append("lepistream_trainer_model_info{version=\"").append(PrometheusText.escape(currentVersion.get()))
                .append("\"} 1\n");
        return out.toString();
    }
}
