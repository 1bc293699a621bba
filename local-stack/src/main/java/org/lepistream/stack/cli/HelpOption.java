package org.lepistream.stack.cli;

import picocli.CommandLine.Option;

/** The {@code -h/--help} option every command shares (no {@code --version}: the checkout is the version). */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
