package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.bundle.ModelBundle;

/**
 * The train command on the real Leeds photos (a fifth of the train split, quick network, 3 epochs): JPEG decoding,
 * hand masks, the 3-rank taxonomy and the bundle all work on real data. Skipped when the dataset is absent.
 */
class LeedsTrainingIT {

    @Test
    void quickRunOnLeedsWritesALoadableBundle(@TempDir Path dir) throws Exception {
        Path leeds = Path.of(System.getProperty("leeds.dir", "../shared/data/leeds-butterflies"));
        assumeTrue(Files.isRegularFile(leeds.resolve("labels.csv")), "Leeds dataset not found at " + leeds);
        TrainConfig config = TrainConfig.builder(Preset.QUICK).epochs(3).trainFraction(0.2).segmenterEpochs(2)
                .segmenterFraction(0.1).seed(3).build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingRun.Result result = new TrainingRun(config, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(leeds, dir.resolve("bundle"));
        assertEquals(3, result.history().epochs().size());
        assertEquals(100, result.validation().n());
        // Ten species: even three short epochs on a fifth of the data must beat guessing the family-level prior.
        assertTrue(result.validation().top1("family") > 0.5, log.toString(StandardCharsets.UTF_8));
        try (ModelBundle bundle = ModelBundle.load(result.bundleDir())) {
            assertEquals(10, bundle.taxonomy().leafCount());
            assertTrue(bundle.segmenter().isPresent());
            assertEquals(result.version(), bundle.manifest().version());
        }
    }
}
