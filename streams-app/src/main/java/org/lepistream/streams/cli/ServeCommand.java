package org.lepistream.streams.cli;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lepistream.schemas.connect.ConnectionOptions;
import org.lepistream.streams.IdentificationService;
import org.lepistream.streams.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: runs the identification service until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the identification service: sightings -> identifications | expert-review | sightings-dlq.",
            "Settings come from --config (Kafka/registry/SASL/SSL keys pass through to the clients; lepistream.* keys"
                + " are the service's: model, batching, thresholds, fetch allow-list, topics, http port). Without"
                + " addresses in the file, the local stack's descriptor or --bootstrap/--registry are used.",
            "Serves /health, /ready and Prometheus /metrics on lepistream.http.port (default 8085)."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--config", paramLabel = "FILE", description = "Service properties file (app.properties).")
    Path config;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model bundle to serve until a release arrives (sets lepistream.model.dir).")
    Path model;

    @Option(names = "--http-port", paramLabel = "N", description = "Health/metrics port; 0 = any free, -1 = off.")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        ServiceConfig settings = resolve(spec, connection, config, model, httpPort);
        IdentificationService service = new IdentificationService(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "lepistream-serve-stop"));
        spec.commandLine().getOut().println("Serving " + settings.sightingsTopic() + " at "
                + settings.bootstrapServers() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        try {
            service.start();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        stopped.await();
        return 0;
    }

    /**
     * Addresses: explicit --bootstrap/--registry options win, then the config file, then the local stack
     * descriptor, then the defaults.
     */
    static ServiceConfig resolve(CommandSpec spec, ConnectionOptions connection, Path configFile, Path model,
            Integer httpPort) {
        Properties p = new Properties();
        connection.kafkaProperties().forEach((k, v) -> p.setProperty(k, v.toString()));
        connection.serdeConfig().forEach((k, v) -> p.setProperty(k, v.toString()));
        if (configFile != null) {
            p.putAll(ServiceConfig.load(configFile).toProperties());
        }
        var parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption("--bootstrap")) {
            p.setProperty("bootstrap.servers", connection.bootstrapServers());
        }
        if (parsed != null && parsed.hasMatchedOption("--registry")) {
            p.setProperty("schema.registry.url", connection.registryUrl());
        }
        if (model != null) {
            p.setProperty(ServiceConfig.PREFIX + "model.dir", model.toAbsolutePath().toString());
        }
        if (httpPort != null) {
            p.setProperty(ServiceConfig.PREFIX + "http.port", httpPort.toString());
        }
        return ServiceConfig.of(p);
    }
}
