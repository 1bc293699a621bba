package org.lepistream.loadtest.cli;

import org.lepistream.schemas.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The load-testing command line: {@code load-test} and {@code scale-out}. */
@Command(name = "lepistream", mixinStandardHelpOptions = true, version = "lepistream load-tests 0.1",
        description = "Load generator and scale-out harness for the identification service.",
        subcommands = {LoadTestCommand.class, ScaleOutCommand.class, CommandLine.HelpCommand.class})
public final class LoadTestCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (load-test or scale-out)");
    }

    /** Entry point used by the ./lepistream launcher. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line; 0 ok, 1 failed (or results missing/duplicated), 2 bad usage or bad input. */
    public static int execute(String... args) {
        CommandLines.logDefaults("org.slf4j.simpleLogger.defaultLogLevel", "warn",
                "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        return commandLine().execute(args);
    }

    /** The configured command line (tests run it with their own output writers). */
    public static CommandLine commandLine() {
        return CommandLines.of(new LoadTestCli(), e -> false);
    }
}
