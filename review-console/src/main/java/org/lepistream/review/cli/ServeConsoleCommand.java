package org.lepistream.review.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lepistream.review.ConsoleConfig;
import org.lepistream.review.ReviewConsole;
import org.lepistream.schemas.connect.ConnectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-console}: serves the review console until Ctrl-C. */
@Command(name = "review-console", mixinStandardHelpOptions = true,
        description = {"Run the expert review console: a web app over the expert-review queue that writes"
                + " ExpertLabels to expert-labels.",
            "Settings come from --config (see review-console/config/console.properties.example): reviewers and their"
                + " password hashes (make them with 'lepistream hash-password'), the taxonomy file, the http port."
                + " Kafka/registry/SASL/SSL keys pass through to the clients; without addresses in the file the local"
                + " stack's descriptor or --bootstrap/--registry are used."})
final class ServeConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Console properties file.")
    Path config;

    @Option(names = "--http-port", paramLabel = "N", description = "Port of the web app (0 = any free one).")
    Integer httpPort;

    @Option(names = "--taxonomy", paramLabel = "PATH",
            description = "labels.csv, taxonomy.json, or a dataset/model folder (sets lepistream.taxonomy).")
    Path taxonomy;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        connection.kafkaProperties().forEach((k, v) -> p.setProperty(k, v.toString()));
        connection.serdeConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        p.putAll(ConsoleConfig.read(config));
        var parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption("--bootstrap")) {
            p.setProperty("bootstrap.servers", connection.bootstrapServers());
        }
        if (parsed != null && parsed.hasMatchedOption("--registry")) {
            p.setProperty("schema.registry.url", connection.registryUrl());
        }
        if (httpPort != null) {
            p.setProperty(ConsoleConfig.PREFIX + "http.port", httpPort.toString());
        }
        if (taxonomy != null) {
            p.setProperty(ConsoleConfig.PREFIX + "taxonomy", taxonomy.toAbsolutePath().toString());
        }
        ConsoleConfig settings = ConsoleConfig.of(p);
        ReviewConsole console = new ReviewConsole(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "lepistream-review-console-stop"));
        try {
            console.start(Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            console.close();
            throw e;
        }
        spec.commandLine().getOut().println("Review console: " + console.url() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
