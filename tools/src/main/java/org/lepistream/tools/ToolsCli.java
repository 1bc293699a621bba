package org.lepistream.tools;

import org.lepistream.schemas.cli.CommandLines;
import org.lepistream.streams.models.ModelLoader;
import org.lepistream.tools.demo.DemoCommand;
import org.lepistream.tools.loop.SimulateLoopCommand;
import org.lepistream.vision.bundle.BundleException;
import org.lepistream.vision.data.DatasetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The commands that orchestrate several services on one machine: {@code demo} (stack, service, console, trainer) and
 * {@code simulate-loop} (the expert-feedback experiment). They live here so that no service depends on the local
 * stack or on another service.
 */
@Command(name = "lepistream", mixinStandardHelpOptions = true, version = "lepistream tools 0.1",
        description = "Run lepistream's services together on one machine.",
        subcommands = {DemoCommand.class, SimulateLoopCommand.class, CommandLine.HelpCommand.class})
public final class ToolsCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (demo or simulate-loop)");
    }

    /** Entry point used by the ./lepistream launcher. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 bad usage or bad input). */
    public static int execute(String... args) {
        CommandLines.serviceLogDefaults();
        return CommandLines.of(new ToolsCli(), e -> e instanceof BundleException || e instanceof DatasetException
                || e instanceof ModelLoader.RejectedModelException).execute(args);
    }
}
