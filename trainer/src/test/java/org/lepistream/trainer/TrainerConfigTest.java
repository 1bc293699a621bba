package org.lepistream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.lepistream.trainer.sampling.WeightFormula;

class TrainerConfigTest {

    private static Properties base() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "localhost:1");
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("lepistream.validation.data", "/data/val");
        return p;
    }

    @Test
    void theExampleFileParsesAndOwnKeysAreSeparatedFromClientKeys() {
        Properties p = TrainerConfig.read(Path.of("config/trainer.properties.example"));
        p.setProperty("bootstrap.servers", "localhost:1");
        TrainerConfig c = TrainerConfig.of(p);
        assertEquals(200, c.retrainLabels());
        assertEquals(Duration.ofHours(24), c.retrainPeriod());
        assertEquals(TrainerConfig.Mode.FINETUNE, c.mode());
        assertEquals(WeightFormula.DEFAULT, c.weights());
        assertTrue(c.clientConfig().keySet().stream().noneMatch(k -> k.startsWith("lepistream.")));
        TrainerConfig d = TrainerConfig.of(base());
        assertEquals("SASL_SSL", d.clientConfig().get("security.protocol"));
        assertEquals("expert-labels", d.labelsTopic());
    }

    @Test
    void uniformSamplingIgnoresTheWeightFormula() {
        Properties p = base();
        p.setProperty("lepistream.sampling", "uniform");
        p.setProperty("lepistream.weight.wrong", "5");
        assertEquals(WeightFormula.UNIFORM, TrainerConfig.of(p).weights());
        p.setProperty("lepistream.sampling", "class-balanced");
        assertEquals(WeightFormula.CLASS_BALANCED, TrainerConfig.of(p).weights());
    }

    @Test
    void badValuesAreClearErrors() {
        Properties noVal = base();
        noVal.remove("lepistream.validation.data");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(noVal)).getMessage()
                .contains("lepistream.validation.data"));
        Properties p = base();
        p.setProperty("lepistream.retrain.mode", "sometimes");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(p)).getMessage()
                .contains("finetune"));
        Properties q = base();
        q.setProperty("lepistream.retrain.period", "daily");
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(q));
    }

    @Test
    void aMisspeltKeyStopsStartUpNamingTheKeyAndTheNearestKnownOne() {
        Properties p = base();
        p.setProperty("lepistream.retrain.lables", "50");
        var e = assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(p));
        assertTrue(e.getMessage().contains(
                "unknown setting lepistream.retrain.lables (did you mean lepistream.retrain.labels?)"), e.getMessage());
    }

    @Test
    void aKeyUnderTheTrainersOldPrefixIsRefusedNamingItsNewName() {
        Properties p = base();
        p.setProperty("trainer.retrain.labels", "50");
        var e = assertThrows(IllegalArgumentException.class, () -> TrainerConfig.of(p));
        assertTrue(e.getMessage().contains("trainer.retrain.labels is now lepistream.retrain.labels"), e.getMessage());
    }

    @Test
    void theExampleConfigDocumentsExactlyTheKeysTheTrainerReads() throws java.io.IOException {
        String example = java.nio.file.Files.readString(Path.of("config/trainer.properties.example"));
        assertEquals(java.util.List.of(), TrainerConfig.KEYS.disagreementsWith(example));
    }
}
