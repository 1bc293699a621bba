package org.lepistream.stack.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Entry point of {@code lepistream stack|produce|consume}: the local stack and the tools to feed and read it. */
@Command(name = "lepistream", description = "Local Kafka + schema registry, and tools to send photos and read topics.",
        subcommands = {StackCommand.class, ProduceCommand.class, ConsumeCommand.class, SchemasCommand.class})
public final class StackCli {

    @Mixin
    HelpOption help;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: failures print one {@code error: ...} line (no stack trace unless
     * {@code LEPISTREAM_DEBUG} is set) and exit with code 1; usage mistakes exit with 2.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StackCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("error: " + CliFailure.describe(e));
            if (System.getenv("LEPISTREAM_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli;
    }
}
