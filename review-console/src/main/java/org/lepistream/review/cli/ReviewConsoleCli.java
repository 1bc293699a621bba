package org.lepistream.review.cli;

import org.lepistream.schemas.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The review console's command line: {@code review-console} (the web app) and {@code hash-password}. */
@Command(name = "lepistream", mixinStandardHelpOptions = true, version = "lepistream review console 0.1",
        description = "The expert review console.",
        subcommands = {ServeConsoleCommand.class, HashPasswordCommand.class, CommandLine.HelpCommand.class})
public final class ReviewConsoleCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (review-console or"
                + " hash-password)");
    }

    /** Entry point used by the ./lepistream launcher. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 bad usage or bad input). */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLines.serviceLogDefaults("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn",
                "org.slf4j.simpleLogger.log.io.javalin", "warn");
        return CommandLines.of(new ReviewConsoleCli(), e -> false).execute(args);
    }
}
