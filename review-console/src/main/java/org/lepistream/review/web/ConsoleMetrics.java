package org.lepistream.review.web;

import java.util.function.IntSupplier;
import org.lepistream.schemas.metrics.Counter;
import org.lepistream.schemas.metrics.PrometheusText;

/** What the console counts for operators on /metrics (Prometheus text): sign-ins, the guessing brake, sessions. */
final class ConsoleMetrics {

    final Counter signIns = new Counter("lepistream_console_signins_total",
            "Sign-in attempts by outcome (success, failure, throttled = refused with 429 before checking).",
            "outcome");
    final Counter blocks = new Counter("lepistream_console_signin_blocks_total",
            "Blocks started by the guessing brake, by what was blocked (account, address, browser).", "scope");
    private final IntSupplier sessions;
    private final IntSupplier claims;
    private final IntSupplier throttled;

    ConsoleMetrics(IntSupplier sessions, IntSupplier claims, IntSupplier throttled) {
        this.sessions = sessions;
        this.claims = claims;
        this.throttled = throttled;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        signIns.render(out);
        blocks.render(out);
        gauge(out, "lepistream_console_sessions", "Signed-in sessions held in memory.", sessions.getAsInt());
        gauge(out, "lepistream_console_claims", "Sightings claimed by a reviewer right now.", claims.getAsInt());
        gauge(out, "lepistream_console_signin_throttle_keys",
                "Reviewer ids, addresses and browsers the guessing brake is tracking.", throttled.getAsInt());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        PrometheusText.header(out, name, help, "gauge");
        out.append(name).append(' ').append(value).append('\n');
    }
}
