package org.lepistream.trainer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lepistream.schemas.connect.ConnectionOptions;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.trainer.TrainerService;
import org.lepistream.vision.training.EngineThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trainer}: the long-running trainer process. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = {"Consume expert-labels (joined with expert-review, identifications and sightings), store each"
                + " label as a training example, retrain with adaptive sampling when lepistream.retrain.labels new labels"
                + " arrived or lepistream.retrain.period passed, gate the candidate against the current model on the"
                + " fixed validation set and publish a ModelRelease when it is not worse.",
            "Keys under trainer. are the trainer's (see trainer/config/trainer.properties.example); other keys go to"
                + " the Kafka clients and serde. Without addresses in the file, the local stack's descriptor or"
                + " --bootstrap/--registry are used. Serves Prometheus /metrics on lepistream.http.port (default 8086)."})
final class TrainerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Trainer properties file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        connection.kafkaProperties().forEach((k, v) -> p.setProperty(k, v.toString()));
        connection.serdeConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.putAll(TrainerConfig.read(config));
        var parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption("--bootstrap")) {
            p.setProperty("bootstrap.servers", connection.bootstrapServers());
        }
        if (parsed != null && parsed.hasMatchedOption("--registry")) {
            p.setProperty("schema.registry.url", connection.registryUrl());
        }
        TrainerConfig settings = TrainerConfig.of(p);
        EngineThreads.configure(settings.threads());
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        TrainerService service = new TrainerService(settings, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "lepistream-trainer-stop"));
        try {
            service.start();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        out.println("Trainer running: labels from " + settings.labelsTopic() + ", dataset store "
                + settings.datasetDir() + ", releases to " + settings.releasesTopic()
                + (service.httpPort() > 0 ? ", metrics at http://" + settings.httpHost() + ":" + service.httpPort()
                        + "/metrics" : "") + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
