package org.lepistream.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.loadtest.report.ScaleOutReport;
import org.lepistream.loadtest.scaleout.FreshModel;
import org.lepistream.loadtest.scaleout.InstanceLauncher;
import org.lepistream.streams.cli.StreamsCli;
import org.lepistream.loadtest.scaleout.ScaleOutExperiment;
import org.lepistream.loadtest.workload.Workloads;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * Two service processes share a 6-partition sightings topic; under load one is SIGKILLed and a third one joins.
 * Every sighting still has exactly one output, counted from the output topics themselves.
 */
@ExtendWith(LocalStackExtension.class)
class ScaleOutIT {

    private static final int WARMUP = 20;
    private static final int COUNT = 300;

    @Test
    void killOneAddOneUnderLoadStillOneOutputPerSighting(LocalStack stack, @TempDir Path work) throws Exception {
        Path model = work.resolve("model");
        FreshModel.write(model, "scale", FreshModel.Size.TINY);
        ScaleOutExperiment experiment = new ScaleOutExperiment(new ScaleOutExperiment.Setup(
                Map.of("bootstrap.servers", stack.bootstrapServers()), Map.of("schema.registry.url", stack.registryUrl()),
                InstanceLauncher.classPath(System.getProperty("java.class.path"), StreamsCli.class.getName(),
                        "-Xmx512m -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"),
                model, "scale", Workloads.synthetic(8, 96, 3, 0), 6, 8, work, Duration.ofSeconds(180),
                Duration.ofSeconds(240)), System.out::println);

        ScaleOutExperiment.Rebalance r = experiment.rebalance(WARMUP, COUNT, 25, 0.3, 0.5);

        assertEquals(List.of(), r.audit().missing(), "sightings without an output");
        assertEquals(List.of(), r.audit().duplicated(), "sightings with more than one output");
        assertEquals(List.of(), r.audit().unexpected(), "outputs of sightings never sent");
        assertEquals(WARMUP + COUNT, r.audit().records());
        assertEquals(COUNT, r.measured().tracker().completedCount());
        assertTrue(r.measured().tracker().duplicates().isEmpty());
        assertEquals(2, r.events().size(), "events: " + r.events());
        assertTrue(r.events().get(0).what().startsWith("SIGKILL i1"), r.events().toString());
        assertTrue(r.events().get(1).what().startsWith("started i3"), r.events().toString());
        // Both happened while sightings were still waiting for results: the rebalance was under load.
        assertTrue(r.events().get(1).completedBefore() < COUNT, r.events().toString());

        Path md = ScaleOutReport.write(List.of(), r, "tiny fresh bundle", "ScaleOutIT", work.resolve("report"));
        String text = Files.readString(md);
        assertTrue(text.contains("| " + (WARMUP + COUNT) + " | " + (WARMUP + COUNT) + " | 0 | 0 | 0 | **yes** |"), text);
        assertTrue(Files.size(work.resolve("report/rebalance.png")) > 1000);
        System.out.println(text);
    }
}
