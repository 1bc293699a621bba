package org.lepistream.stack.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.lepistream.schemas.connect.StackDescriptor;
import org.lepistream.stack.FreePorts;
import org.lepistream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lepistream stack}: runs the local stack in the foreground until Ctrl-C. */
@Command(name = "stack", description = {
            "Runs a Kafka broker and a schema registry on 127.0.0.1, creates every lepistream topic and writes "
                + "${LEPISTREAM_HOME:-~/.lepistream}/stack.properties so that the other commands find them.",
            "Records and schemas are kept in the data folder between runs. Stops cleanly on Ctrl-C; if an earlier "
                + "stack on the same folder was killed, the registry it left running is stopped first."})
final class StackCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_REGISTRY_PORT = 8081;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where records and schemas live (default: ${LEPISTREAM_HOME:-~/.lepistream}/stack).")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "N",
            description = "Kafka port (default: " + DEFAULT_KAFKA_PORT + " when free, else any free port).")
    Integer kafkaPort;

    @Option(names = "--registry-port", paramLabel = "N",
            description = "Schema registry port (default: " + DEFAULT_REGISTRY_PORT + " when free, else any free port).")
    Integer registryPort;

    @Option(names = "--fresh", description = "Delete the data folder's records and schemas before starting.")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path descriptorFile = StackDescriptor.defaultLocation();
        Path dir = dataDir != null ? dataDir : descriptorFile.getParent().resolve("stack");
        // A stack killed with SIGKILL could not stop its registry child; stop it before its port is checked.
        LocalStack.recoverStale(dir);
        int kafka = port(kafkaPort, DEFAULT_KAFKA_PORT, "--kafka-port");
        int registry = port(registryPort, DEFAULT_REGISTRY_PORT, "--registry-port");
        out.println("Starting the local stack in " + dir.toAbsolutePath() + (fresh ? " (fresh)" : "") + " ...");
        out.flush();
        long started = System.nanoTime();
        LocalStack stack = LocalStack.builder().dataDir(dir).kafkaPort(kafka).registryPort(registry).fresh(fresh).start();
        StackDescriptor descriptor = stack.descriptor();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            removeIfOurs(descriptorFile, descriptor);
            stack.close();
            out.println("Local stack stopped; data kept in " + stack.dataDir());
            out.flush();
            stopped.countDown();
        }, "lepistream-stack-stop"));
        try {
            descriptor.write(descriptorFile);
        } catch (IOException e) {
            stack.close();
            throw new CliFailure("cannot write the stack descriptor " + descriptorFile + ": " + e.getMessage(), e);
        }
        out.printf("Local stack ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.println("  bootstrap.servers   = " + stack.bootstrapServers());
        out.println("  schema.registry.url = " + stack.registryUrl());
        out.println("  descriptor          = " + descriptorFile);
        out.println("  registry log        = " + stack.registry().logFile());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        // Runs until the JVM is asked to exit; the hook above stops everything in order.
        stopped.await();
        return 0;
    }

    private static int port(Integer requested, int preferred, String option) {
        if (requested == null) {
            return FreePorts.preferred(preferred);
        }
        if (requested < 1 || requested > 65_535) {
            throw new CliFailure(option + " must be a port number (1-65535), got " + requested);
        }
        if (!FreePorts.isFree(requested)) {
            throw new CliFailure(option + " " + requested + " is already in use on 127.0.0.1; choose another or omit "
                    + option + " to take a free one");
        }
        return requested;
    }

    /** Another stack may have replaced the descriptor since: only remove the one this process wrote. */
    private static void removeIfOurs(Path file, StackDescriptor ours) {
        try {
            Optional<StackDescriptor> current = StackDescriptor.readIfPresent(file);
            if (current.isPresent() && current.get().equals(ours)) {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Leave it: the next stack start overwrites it.
        }
    }
}
