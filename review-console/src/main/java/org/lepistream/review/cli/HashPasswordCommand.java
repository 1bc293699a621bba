package org.lepistream.review.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.lepistream.review.auth.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hash-password}: prints the config line for a reviewer, the password read without echo or from stdin. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Print a 'lepistream.user.<id>=pbkdf2-sha256$...' line for the review console's config.",
            "The password is asked for without echo on a terminal, or read as the first line of standard input"
                + " (echo \"$PW\" | lepistream hash-password alice). It is never taken from the command line."})
final class HashPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REVIEWER", description = "Reviewer id (letters, digits, . _ @ -).")
    String reviewer;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws IOException {
        if (!reviewer.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("reviewer ids are 1-64 letters, digits or . _ @ -");
        }
        char[] password = read();
        try {
            if (password.length < 8) {
                throw new IllegalArgumentException("use a password of at least 8 characters");
            }
            spec.commandLine().getOut().println("lepistream.user." + reviewer + "="
                    + PasswordHash.hash(password, iterations));
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                throw new IllegalArgumentException("the two passwords differ");
            }
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return line.toCharArray();
    }
}
