package org.lepistream.vision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lepistream.vision.cli.ConsoleCapture.stderrOf;
import static org.lepistream.vision.cli.ConsoleCapture.stdoutOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on a tiny synthetic dataset: generate, train (2 epochs), evaluate. */
class VisionCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    static Path bundle;

    @BeforeAll
    static void generateAndTrain() {
        data = dir.resolve("data");
        bundle = dir.resolve("bundle");
        assertEquals(0, VisionCli.execute("generate-data", "--out", data.toString(), "--families", "2",
                "--genera-per-family", "2", "--species-per-genus", "1", "--images-per-species", "12", "--size", "48",
                "--seed", "4"));
        assertEquals(0, VisionCli.execute("train", "--data", data.toString(), "--out", bundle.toString(),
                "--preset", "quick", "--variant", "cbam-guided", "--epochs", "2", "--input-size", "32",
                "--segmenter-epochs", "1", "--segmenter-fraction", "0.25", "--seed", "7", "--threads", "1",
                "--last-epoch-to", dir.resolve("last").toString()));
    }

    @Test
    void trainWritesABundleWithValMetricsAndPlaceholderThresholds() throws Exception {
        JsonNode manifest = JSON.readTree(bundle.resolve("bundle.json").toFile());
        assertTrue(manifest.get("version").asText().matches("cbam-guided-\\d{14}-7"), manifest.get("version").asText());
        assertEquals(0.5, manifest.get("thresholds").get("species.minProbability").asDouble());
        assertTrue(manifest.get("metrics").get("thresholdsArePlaceholders").asBoolean());
        JsonNode val = manifest.get("metrics").get("val");
        assertTrue(val.get("ranks").get("species").get("top1").isNumber());
        assertTrue(manifest.get("metrics").get("training").get("imagesPerSecond").asDouble() > 0);
        assertTrue(manifest.get("segmenter").isObject(), "segmenter missing from the bundle");
        assertTrue(Files.isRegularFile(bundle.resolve("evaluation/val.json")));
        assertTrue(Files.isRegularFile(bundle.resolve("evaluation/confusion-species.png")));
        assertEquals(3, Files.readAllLines(bundle.resolve("training/history.csv")).size());
        // --last-epoch-to: the schedule's end as a bundle of its own, with its own val metrics.
        JsonNode last = JSON.readTree(dir.resolve("last/bundle.json").toFile());
        assertEquals(manifest.get("version").asText() + "-last", last.get("version").asText());
        assertTrue(last.get("metrics").get("val").get("ranks").get("species").get("top1").isNumber());
        assertTrue(last.get("segmenter").isObject());
    }

    @Test
    void trainFitsATemperatureOnValThatLowersItsNllWhenValHasMistakesToFitOn() throws Exception {
        JsonNode manifest = JSON.readTree(bundle.resolve("bundle.json").toFile());
        JsonNode t = manifest.get("metrics").get("temperature");
        if (t.get("fitted").asBoolean()) {
            assertTrue(manifest.get("temperature").asDouble() > 0, manifest.toString());
            assertTrue(t.get("nllAfter").asDouble() <= t.get("nllBefore").asDouble() + 1e-4, t.toString());
        } else {
            // Too few mistakes on val to fit on: the model keeps T = 1 and says why.
            assertTrue(manifest.get("temperature").isNull(), manifest.toString());
            assertTrue(t.get("fittedOn").asText().matches("val \\(\\d+ photos, [0-4] species mistakes\\)"), t.toString());
        }
        assertEquals(0.5, manifest.get("policy").get("rankThresholds").get("species").asDouble(), manifest.toString());
        assertEquals(0.5, manifest.get("policy").get("overlapThreshold").asDouble(), manifest.toString());
    }

    @Test
    void aModelTrainedOnMasklessPhotosWithAReusedSegmenterCarriesItAndRoutesOnOverCam() throws Exception {
        // The same photos with their mask column emptied: butterflies-75's situation.
        Path maskless = dir.resolve("maskless");
        Files.createDirectories(maskless);
        List<String> rows = Files.readAllLines(data.resolve("labels.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int image = header.indexOf("image");
        int mask = header.indexOf("mask");
        List<String> out = new java.util.ArrayList<>(List.of(rows.get(0)));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            f[image] = data.resolve(f[image]).toAbsolutePath().toString();
            f[mask] = "";
            out.add(String.join(",", f));
        }
        Files.write(maskless.resolve("labels.csv"), out);
        Path reused = dir.resolve("reused");
        String log = stderrOf(() -> assertEquals(0, VisionCli.execute("train", "--data", maskless.toString(), "--out",
                reused.toString(), "--preset", "quick", "--variant", "cbam-guided", "--epochs", "1", "--input-size",
                "32", "--segmenter-from", bundle.toString(), "--seed", "3", "--threads", "1")));
        assertTrue(log.contains("segmenter masks stand in for"), log);
        JsonNode source = JSON.readTree(bundle.resolve("bundle.json").toFile());
        JsonNode made = JSON.readTree(reused.resolve("bundle.json").toFile());
        assertEquals(source.get("segmenter"), made.get("segmenter"));
        assertEquals(source.get("checksums").get("segmenter.params"), made.get("checksums").get("segmenter.params"));
        Path json = dir.resolve("reused-eval.json");
        Path sheet = dir.resolve("masks.png");
        stdoutOf(() -> assertEquals(0, VisionCli.execute("evaluate", "--model", reused.toString(), "--data",
                maskless.toString(), "--json", json.toString(), "--mask-sheet", sheet.toString())));
        var png = javax.imageio.ImageIO.read(sheet.toFile());
        assertEquals(5 * 2 * 128, png.getWidth(), "five photo|mask pairs per row");
        JsonNode m = JSON.readTree(json.toFile());
        assertTrue(m.get("routing").isObject(), "no Over-CAM routing without hand masks: " + m.get("routing"));
        assertTrue(m.get("attentionInPredictedMask").isNumber(), m.toString());
        try (var loaded = org.lepistream.vision.bundle.ModelBundle.load(reused);
                var identifier = loaded.newIdentifier()) {
            var photo = javax.imageio.ImageIO.read(data.resolve(rows.get(1).split(",")[image]).toFile());
            float[] predicted = identifier.analyse(List.of(photo)).get(0).mask();
            assertTrue(predicted != null && predicted.length > 0);
        }
    }

    @Test
    void evaluateWritesTheDocumentedJsonAndPictures() throws Exception {
        Path json = dir.resolve("eval/metrics.json");
        Path out = dir.resolve("eval/report");
        String printed = stdoutOf(() -> assertEquals(0, VisionCli.execute("evaluate", "--model", bundle.toString(),
                "--data", data.toString(), "--json", json.toString(), "--background-swap", "--out-dir",
                out.toString())));
        assertTrue(printed.matches("(?s).*background swap top-1 per rank: family \\S+ -> \\S+ .*genus .*species .*"),
                printed);
        JsonNode m = JSON.readTree(json.toFile());
        assertEquals(48, m.get("n").asInt(), "no --split means every row");
        for (String rank : new String[] {"family", "genus", "species"}) {
            JsonNode r = m.get("ranks").get(rank);
            assertTrue(r.get("top1").isNumber() && r.get("top3").isNumber(), rank + ": " + r);
            assertTrue(r.get("top3").asDouble() >= r.get("top1").asDouble());
        }
        for (String key : new String[] {"mistakeSeverity", "attentionInMask", "ece", "segmentationIoU",
            "backgroundSwap"}) {
            assertTrue(m.has(key), "missing key " + key);
        }
        assertTrue(m.get("attentionInMask").asDouble() > 0 && m.get("attentionInMask").asDouble() <= 1);
        assertTrue(m.get("segmentationIoU").isNumber());
        assertTrue(m.get("segmentationIoUAtMaskGrid").isNumber());
        // Risk-coverage of Over-CAM vs confidence-only routing: curves that end at full coverage of their photos.
        JsonNode routing = m.get("routing");
        assertEquals(0.95, routing.get("target").asDouble(), 1e-12);
        JsonNode confidenceOnly = routing.get("curveConfidenceOnly");
        assertTrue(confidenceOnly.size() > 0, routing.toString());
        assertEquals(1.0, confidenceOnly.get(confidenceOnly.size() - 1).get("coverage").asDouble(), 1e-9);
        assertTrue(routing.get("coverageWithOverlap").asDouble() >= 0 && routing.get("overCam").has("overlap.level"));
        assertTrue(printed.contains("Over-CAM routing accepts"), printed);
        JsonNode swap = m.get("backgroundSwap");
        assertEquals(48, swap.get("n").asInt());
        assertTrue(swap.get("top1Swapped").isNumber() && swap.get("predictionChanged").isNumber());
        for (String rank : new String[] {"family", "genus", "species"}) {
            JsonNode r = swap.get(rank);
            assertTrue(r != null && r.get("top1").isNumber() && r.get("top3").isNumber()
                    && r.get("top1Original").isNumber(), "backgroundSwap." + rank + ": " + r);
            assertTrue(r.get("top3").asDouble() >= r.get("top1").asDouble(), rank + ": " + r);
            assertEquals(48, r.get("n").asInt(), rank + ": " + r);
        }
        // The species entry measures the same thing as the flat keys (float probabilities make exact ties unlikely).
        assertEquals(swap.get("top1Swapped").asDouble(), swap.get("species").get("top1").asDouble(), 1e-9);
        assertEquals(swap.get("top1Original").asDouble(), swap.get("species").get("top1Original").asDouble(), 1e-9);
        assertEquals(m.get("ranks").get("family").get("top1").asDouble(),
                swap.get("family").get("top1Original").asDouble(), 1e-9, "every image was swapped");
        assertTrue(Files.size(out.resolve("confusion-species.png")) > 0);
        assertTrue(Files.readString(out.resolve("per-class.md")).contains("| class | n |"));
        assertTrue(Files.isRegularFile(out.resolve("background-swap-examples.png")));

        Path valOnly = dir.resolve("eval/val.json");
        assertEquals(0, VisionCli.execute("evaluate", "--model", bundle.toString(), "--data", data.toString(),
                "--split", "val", "--json", valOnly.toString()));
        JsonNode v = JSON.readTree(valOnly.toFile());
        assertTrue(v.get("n").asInt() < 48 && v.get("n").asInt() > 0);
        assertTrue(v.get("backgroundSwap").isNull(), "swap only when asked");
    }

    @Test
    void badInputGetsAClearMessageAndExitCode() {
        String err = stderrOf(() -> assertEquals(2, VisionCli.execute("evaluate", "--model",
                dir.resolve("nope").toString(), "--data", data.toString())));
        assertTrue(err.contains("error:") && err.contains("nope"), err);
        assertFalse(err.contains("\tat "), "stack trace shown for bad input: " + err);

        err = stderrOf(() -> assertEquals(2, VisionCli.execute("train", "--data", data.toString(), "--out",
                dir.resolve("x").toString(), "--variant", "vgg")));
        assertTrue(err.contains("resnet|cbam|cbam-guided"), err);

        err = stderrOf(() -> assertEquals(2, VisionCli.execute("train", "--data", data.toString(), "--out",
                bundle.toString(), "--preset", "quick")));
        assertTrue(err.contains("already exists"), err);

        err = stderrOf(() -> assertEquals(2, VisionCli.execute("evaluate", "--model", bundle.toString(), "--data",
                data.toString(), "--split", "test")));
        assertTrue(err.contains("no rows in split 'test'"), err);
    }
}
