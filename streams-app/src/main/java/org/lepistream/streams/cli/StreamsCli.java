package org.lepistream.streams.cli;

import org.lepistream.streams.models.ModelLoader;
import org.lepistream.vision.bundle.BundleException;
import org.lepistream.schemas.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The streaming service's command line: {@code serve} and {@code calibrate} ({@code demo} lives in the tools module). */
@Command(name = "lepistream", mixinStandardHelpOptions = true, version = "lepistream streams 0.1",
        description = "Run the streaming butterfly identification service.",
        subcommands = {ServeCommand.class, CalibrateCommand.class, CommandLine.HelpCommand.class})
public final class StreamsCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (serve or calibrate)");
    }

    /** Entry point used by the ./lepistream launcher. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 bad usage or bad input). */
    public static int execute(String... args) {
        quietLibraries();
        return CommandLines.of(new StreamsCli(),
                e -> e instanceof BundleException || e instanceof ModelLoader.RejectedModelException).execute(args);
    }

    /** Kafka and DJL are chatty at INFO; the service's own log lines stay visible. */
    static void quietLibraries() {
        CommandLines.serviceLogDefaults();
    }
}
