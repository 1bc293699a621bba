package org.lepistream.trainer.cli;

import org.lepistream.vision.bundle.BundleException;
import org.lepistream.vision.data.DatasetException;
import org.lepistream.schemas.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The trainer's command line: {@code trainer} (the service; {@code simulate-loop} lives in the tools module). */
@Command(name = "lepistream", mixinStandardHelpOptions = true, version = "lepistream trainer 0.1",
        description = "Turn expert labels into gated model releases.",
        subcommands = {TrainerCommand.class, CommandLine.HelpCommand.class})
public final class TrainerCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (trainer)");
    }

    /** Entry point used by the ./lepistream launcher. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 bad usage or bad input). */
    public static int execute(String... args) {
        quietLibraries();
        return CommandLines.of(new TrainerCli(), e -> e instanceof BundleException || e instanceof DatasetException)
                .execute(args);
    }

    /** Kafka and DJL are chatty at INFO; the trainer's own lines stay visible. */
    static void quietLibraries() {
        CommandLines.serviceLogDefaults();
    }
}
