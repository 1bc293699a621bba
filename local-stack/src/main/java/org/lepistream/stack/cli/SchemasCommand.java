package org.lepistream.stack.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.lepistream.schemas.Contracts;
import org.lepistream.schemas.connect.ConnectionOptions;
import org.lepistream.schemas.serde.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lepistream schemas register}: puts every topic contract and its compatibility level into a registry. */
@Command(name = "schemas", description = "Manage the topic contracts in a schema registry.",
        subcommands = SchemasCommand.Register.class)
final class SchemasCommand implements Runnable {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "register", description = {
            "Sets each topic's value subject to its compatibility level (FULL_TRANSITIVE, see the topic catalogue) and "
                + "registers its schema, without Java-only properties. Idempotent: run it against a real registry "
                + "before the first producer; 'lepistream stack' does it at start.",
            "Needs only the registry (no Kafka). Prints one line per subject: subject, schema id, version, level."})
    static final class Register implements Callable<Integer> {

        @Mixin
        HelpOption help;

        @Spec
        CommandSpec spec;

        @Option(names = "--registry", paramLabel = "URL[,URL...]",
                description = "Schema registry base URL, Confluent API (default: client config, then the local stack, "
                        + "then " + ConnectionOptions.DEFAULT_REGISTRY + ").")
        String registry;

        @Option(names = "--client-config", paramLabel = "FILE",
                description = "Properties for the registry client (schema.registry.url, basic.auth.*, retries).")
        Path clientConfig;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ConnectionOptions connection = ConnectionOptions.of(null, registry, clientConfig);
            RegistryClient client = new RegistryClient(connection.serdeConfig());
            List<Contracts.Registered> registered = Contracts.register(client);
            out.println("Registered at " + client.urls() + ":");
            registered.forEach(r -> out.printf("  %-24s id %-4d version %-3d %s%n", r.subject(), r.id(), r.version(),
                    r.compatibility()));
            out.flush();
            return 0;
        }
    }
}
