package org.lepistream.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StackCliTest {

    @ParameterizedTest
    @ValueSource(strings = {"stack", "produce", "consume"})
    void everyCommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("Usage: lepistream " + command), run.out());
    }

    @Test
    void schemasRegisterHasHelpAndNeedsNoKafka() {
        CliRun run = CliRun.of("schemas", "register", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("Usage: lepistream schemas register"), run.out());
        assertTrue(run.out().contains("--registry") && run.out().contains("--client-config")
                && !run.out().contains("--bootstrap"), run.out());
        CliRun bare = CliRun.of("schemas");
        assertEquals(0, bare.exitCode());
        assertTrue(bare.out().contains("register"), bare.out());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun run = CliRun.of("consume");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing required option: '--topic=TOPIC'"), run.err());
    }

    @Test
    void negativeLimitsAreRefusedBeforeConnecting() {
        CliRun max = CliRun.of("consume", "--topic", "t", "--max", "-1", "--bootstrap", "127.0.0.1:1");
        assertEquals(1, max.exitCode());
        assertEquals("error: --max must be zero or positive, got -1", max.err().strip());
        CliRun rate = CliRun.of("produce", "--dir", ".", "--rate", "-2", "--bootstrap", "127.0.0.1:1");
        assertEquals("error: --rate must be zero or positive, got -2.0", rate.err().strip());
    }

    @Test
    void stackRefusesAnExplicitPortThatIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("stack", "--data-dir", "target/unused-stack", "--kafka-port",
                    String.valueOf(taken.getLocalPort()));
            assertEquals(1, run.exitCode());
            assertTrue(run.err().startsWith("error: --kafka-port " + taken.getLocalPort() + " is already in use"),
                    run.err());
        }
    }

    @Test
    void keysAreShownAsJsonStringsOrByLength() {
        assertEquals("\"abc \\\"q\\\"\"", ConsumeCommand.keyJson("abc \"q\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals("null", ConsumeCommand.keyJson(null));
        assertEquals("{\"$bytes\":2}", ConsumeCommand.keyJson(new byte[] {(byte) 0xC3, (byte) 0x28}));
    }
}
