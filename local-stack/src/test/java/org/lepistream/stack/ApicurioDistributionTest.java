package org.lepistream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioDistributionTest {

    @TempDir
    Path root;

    private Path fakeDistribution(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ApicurioDistribution.RUNNER_JAR), "jar");
        return dir;
    }

    @Test
    void propertyWinsOverEnvironmentAndSearch() throws IOException {
        Path fromProperty = fakeDistribution(root.resolve("p"));
        Path fromEnv = fakeDistribution(root.resolve("e"));
        assertEquals(fromProperty, ApicurioDistribution.locate(fromProperty.toString(), fromEnv.toString(), root).home());
        assertEquals(fromEnv, ApicurioDistribution.locate(null, fromEnv.toString(), root).home());
    }

    @Test
    void walksUpFromANestedWorkingDirectory() throws IOException {
        Path dist = fakeDistribution(root.resolve("local-stack/target/apicurio"));
        Path deep = Files.createDirectories(root.resolve("trainer/src/test"));
        assertEquals(dist, ApicurioDistribution.locate(null, null, deep).home());
        assertEquals(dist.resolve(ApicurioDistribution.RUNNER_JAR),
                ApicurioDistribution.locate(null, "", deep).runnerJar());
    }

    @Test
    void missingDistributionSaysHowToBuildIt() {
        StackException e = assertThrows(StackException.class, () -> ApicurioDistribution.locate(null, null, root));
        assertTrue(e.getMessage().contains("install"), e.getMessage());
        assertTrue(e.getMessage().contains("local-stack/target/apicurio"), e.getMessage());
    }

    @Test
    void propertyPointingAtAnEmptyFolderFailsNamingTheProperty() {
        StackException e = assertThrows(StackException.class,
                () -> ApicurioDistribution.locate(root.toString(), null, root));
        assertTrue(e.getMessage().contains(ApicurioDistribution.HOME_PROPERTY), e.getMessage());
    }
}
