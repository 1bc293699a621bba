package org.lepistream.trainer.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lepistream.trainer.store.DatasetStore;

/**
 * The trainer's checkpoint ({@code state.json} in its work folder), rewritten atomically after every step that must
 * survive a crash: which model is current, how many labels the last training saw, and a release that was decided but
 * perhaps not yet published (published again on restart, so a kill between the bundle and the record loses nothing).
 *
 * @param currentVersion version of the model the next candidate is fine-tuned from
 * @param currentBundle its bundle folder
 * @param currentThresholds the routing thresholds it is served with
 * @param labelsAtLastTraining trainable examples in the store when the last training started
 * @param lastTrainingAt epoch millis of the last training start (0 = never)
 * @param rounds trainings so far
 * @param pending a release decided but not yet confirmed published, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainerState(String currentVersion, String currentBundle, Map<String, Double> currentThresholds,
        int labelsAtLastTraining, long lastTrainingAt, int rounds, PendingRelease pending) {

    /** A gated candidate on its way to model-releases. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PendingRelease(String version, String bundle, Map<String, Double> thresholds,
            Map<String, Double> metrics, String parentVersion, long createdAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TrainerState load(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trainer state " + file, e);
        }
    }

    public void save(Path file) {
        try {
            Files.createDirectories(file.getParent());
            DatasetStore.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trainer state " + file, e);
        }
    }

    public TrainerState withPending(PendingRelease p) {
        return new TrainerState(currentVersion, currentBundle, currentThresholds, labelsAtLastTraining, lastTrainingAt,
                rounds, p);
    }

    public TrainerState withCurrent(String version, String bundle, Map<String, Double> thresholds) {
        return new TrainerState(version, bundle, thresholds, labelsAtLastTraining, lastTrainingAt, rounds, pending);
    }

    public TrainerState withTrainingStarted(int labels, long at) {
        return new TrainerState(currentVersion, currentBundle, currentThresholds, labels, at, rounds + 1, pending);
    }
}
