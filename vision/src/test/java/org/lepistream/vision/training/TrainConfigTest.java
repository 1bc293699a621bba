package org.lepistream.vision.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void presetsDifferAndBuilderOverrides() {
        TrainConfig quick = TrainConfig.defaults(Preset.QUICK);
        TrainConfig full = TrainConfig.defaults(Preset.FULL);
        assertTrue(quick.epochs() < full.epochs());
        assertEquals(List.of(0.2, 0.3, 1.0), full.lambdas());
        TrainConfig changed = full.toBuilder().epochs(3).variant(Variant.CBAM_GUIDED).seed(9).build();
        assertEquals(3, changed.epochs());
        assertEquals(Variant.CBAM_GUIDED, changed.variant());
        assertEquals(full.batchSize(), changed.batchSize());
        assertEquals(changed, changed.toBuilder().build());
    }

    @Test
    void badValuesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder(Preset.QUICK).trainFraction(1.5).build());
        assertTrue(e.getMessage().contains("train fraction"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder(Preset.QUICK).epochs(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder(Preset.QUICK).lambdas(-1, 1).build());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder(Preset.QUICK).batchSize(1).build());
    }

    @Test
    void optionSpellingsParse() {
        assertEquals(Variant.CBAM_GUIDED, Variant.parse("CBAM-Guided"));
        assertEquals(LossKind.ASYMPTOTIC, LossKind.parse("asymptotic"));
        assertEquals(OptimizerKind.ADAM, OptimizerKind.parse("adam"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("vgg"));
        assertTrue(e.getMessage().contains("resnet|cbam|cbam-guided"), e.getMessage());
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(0.1, 100, 0.1, 0.01);
        assertEquals(0.01, s.at(0), 1e-12);
        assertTrue(s.at(5) > s.at(0) && s.at(5) < 0.1);
        assertEquals(0.1, s.at(10), 1e-12);
        assertEquals(0.001 + 0.099 * 0.5, s.at(55), 1e-9);
        assertEquals(0.001, s.at(100), 1e-12);
        assertEquals(0.001, s.at(500), 1e-12);
        for (int i = 11; i < 100; i++) {
            assertTrue(s.at(i) <= s.at(i - 1));
        }
    }

    @Test
    void aScheduleOverTimeFollowsTheClockAndIsSpentWhenTheBudgetIs() throws InterruptedException {
        LearningRateSchedule s = LearningRateSchedule.overTime(0.1, java.time.Duration.ofMillis(300), 0.1, 0.01);
        s.start();
        assertTrue(s.progress(0) < 0.5 && !s.spent());
        assertEquals(0.001 + 0.099 * 0.5, s.atProgress(0.55), 1e-9);
        Thread.sleep(350);
        assertTrue(s.spent());
        assertEquals(0.001, s.at(0), 1e-12, "at the floor once the time is up, whatever the step");
    }

    @Test
    void stratifiedSubsetKeepsEveryClassAndIsSeeded() {
        List<Integer> items = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(i);
        }
        // Class = i % 4 except a small class 4 of two items.
        java.util.function.ToIntFunction<Integer> cls = i -> i >= 98 ? 4 : i % 4;
        List<Integer> a = StratifiedSubset.of(items, cls, 0.2, 3);
        assertEquals(a, StratifiedSubset.of(items, cls, 0.2, 3));
        for (int c = 0; c < 5; c++) {
            final int cc = c;
            long n = a.stream().filter(i -> cls.applyAsInt(i) == cc).count();
            assertEquals(c == 4 ? 1 : Math.round(0.2 * (c < 2 ? 25 : 24)), n, "class " + c);
        }
        assertTrue(!a.equals(StratifiedSubset.of(items, cls, 0.2, 4)));
        assertEquals(items, StratifiedSubset.of(items, cls, 1.0, 3));
    }
}
