package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NextTargetTest {

    /** Every way seen or known to turn a "local" next into another host, as the query parser hands it over. */
    static final List<String> ATTACKS = List.of("//evil.example", "/\\evil.example", "\\\\evil.example",
            "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%09/evil.example", "/%0a/evil.example",
            "/%0d%0a/evil.example", "%2f%2fevil.example", "/%2fevil.example", "/%2F%2Fevil.example",
            "/%5cevil.example", "/%5Cevil.example", "/%252f%252fevil.example", "/%25252f/evil.example",
            "/%2509/evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)",
            "evil.example", "///evil.example", " /evil.example", "/ /evil.example", "/\u0000/evil.example",
            "/\u200b/evil.example", "/%e2%80%8b/evil.example", "/\u00a0/evil.example", "", "%", "/%zz");

    @Test
    void everyAttackEndsAtTheRoot() {
        for (String attack : ATTACKS) {
            assertEquals("/", NextTarget.safe(attack), "next=" + attack.replace("\t", "<TAB>"));
        }
        assertEquals("/", NextTarget.safe(null));
    }

    @Test
    void ourOwnPathsAreKeptAsGiven() {
        for (String ok : List.of("/", "/dashboard", "/next?reason=LOW_OVERLAP&taxon=Vanessa+cardui",
                "/sightings/a%20b", "/sightings/a%2Bb", "/sightings/50%25", "/sightings/a%2Fb", "/sightings/a%23b",
                "/sightings/a%3Fb", "/sightings/%C3%A9t%C3%A9", "/?age=gt24h")) {
            assertEquals(ok, NextTarget.safe(ok));
        }
    }
}
