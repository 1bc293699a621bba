package org.lepistream.vision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.vision.cli.ConsoleCapture.stdoutOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.vision.model.ClassifierConfig;

/** bench-train end to end on its synthetic photos at a tiny size (speed is not judged), and its MAC count. */
class BenchTrainCommandTest {

    @Test
    void writesOneRowPerVariantWithTheStepAndPreparationRates(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.md");
        String md = stdoutOf(() -> assertEquals(0, VisionCli.execute("bench-train", "--variants", "resnet,cbam-guided",
                "--input-size", "32", "--batch", "4", "--steps", "2", "--warmup", "1", "--rounds", "1", "--threads",
                "1", "--out", out.toString())));
        assertTrue(md.matches("(?s).*\\| resnet \\| [0-9.]+ \\| [0-9.]+ \\| \\d+ \\|.*"), md);
        assertTrue(md.matches("(?s).*\\| cbam-guided \\| [0-9.]+ \\| [0-9.]+ \\| \\d+ \\|.*"), md);
        assertTrue(md.contains("convolution floor"), md);
        assertEquals(md, Files.readString(out));
    }

    @Test
    void countsEveryConvolutionOfTheClassifier() {
        // 8 px input, stem 2 channels, one stage of one block at width 2 (no projection): stem at 4x4, block at 2x2.
        ClassifierConfig c = new ClassifierConfig(8, 2, List.of(2), List.of(1), false, 0, 1, 3);
        double stem = 4 * 4 * 2 * 3 * 9;
        double block = 2 * 2 * 2 * 2 * 9 * 2;
        assertEquals(stem + block, BenchTrainCommand.convolutionMacs(c), 1e-9);
    }
}
