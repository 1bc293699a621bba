package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lepistream.review.ConsoleConfig;
import org.lepistream.review.Fixtures;
import org.lepistream.review.ReviewConsole;
import org.lepistream.review.StackTopics;
import org.lepistream.review.auth.PasswordHash;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;

/**
 * The console as an attacker and a careful reviewer meet it over HTTP, against a real broker and registry: sign-in
 * time does not tell known ids from unknown ones, guessing is braked (429 + Retry-After) without locking a reviewer
 * out of their own browser, no {@code next} leads off the site, anonymous visitors create no session, ids that need
 * escaping are reachable, and a claim survives a restart of the console.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSecurityIT {

    private static final String PASSWORD = "butterfly-net-42";
    private static final Pattern CSRF = Pattern.compile("name='csrf' value='([^']*)'");

    @TempDir
    static Path work;
    private static StackTopics topics;
    private static Properties props;
    private static ReviewConsole console;
    private static String base;

    @BeforeAll
    static void start(LocalStack stack) throws Exception {
        topics = new StackTopics(stack, "security");
        Instant t0 = Instant.now().minus(Duration.ofHours(1));
        int i = 0;
        for (String id : oddIds()) {
            send(Fixtures.request(id, "Vanessa cardui", ReviewReason.LOW_OVERLAP, 0.2, "v7", t0.plusSeconds(i++),
                    Fixtures.photo(i)));
        }
        send(Fixtures.request("claim-me", "Pieris rapae", ReviewReason.LOW_CONFIDENCE, 0.6, "v7",
                t0.plusSeconds(100), Fixtures.photo(9)));
        send(Fixtures.request("rare-1", "Vanessa cardui", ReviewReason.LOW_CONFIDENCE, 0.5, "v7",
                t0.plusSeconds(200), Fixtures.photo(11)));
        Path labelsCsv = Files.writeString(work.resolve("labels.csv"), Fixtures.LABELS_CSV);
        props = topics.consoleProperties();
        props.setProperty("lepistream.application.id", "security-it");
        props.setProperty("lepistream.state.dir", work.resolve("state").toString());
        props.setProperty("lepistream.taxonomy", labelsCsv.toString());
        props.setProperty("lepistream.http.port", "0");
        // Every request here comes from 127.0.0.1: the address brake (unit-tested) is set out of the way.
        props.setProperty("lepistream.signin.address-failures", "1000");
        props.setProperty("lepistream.consensus.taxa", "Danaus"); // a label naming it (or a species of it) waits
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace")) {
            // A sixth of the production cost keeps the test short; still 10× the old dummy's 10,000.
            props.setProperty("lepistream.user." + user, PasswordHash.hash(PASSWORD.toCharArray(), 100_000));
        }
        startConsole();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (console.queue().pending().size() < oddIds().size() + 2 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(oddIds().size() + 2, console.queue().pending().size(), "all requests queued");
    }

    private static void startConsole() {
        console = new ReviewConsole(ConsoleConfig.of(props));
        console.start(Duration.ofSeconds(90));
        base = console.url().replaceAll("/$", "");
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    static List<String> oddIds() {
        return HtmlTest.ODD_IDS;
    }

    private static void send(ReviewRequest r) {
        topics.send(topics.review, r.getIdentification().getSightingId(), ReviewRequest.class, r);
    }

    /** One browser: its cookies, no redirects followed (the tests read Location themselves). */
    static final class Visitor {
        private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form, String accept) throws Exception {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", accept)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            if (!cookies.isEmpty()) {
                StringBuilder c = new StringBuilder();
                cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                b.header("Cookie", c.toString());
            }
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                if (set.toLowerCase().contains("max-age=0") || set.toLowerCase().contains("expires=thu, 01 jan 1970")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, pair.substring(pair.indexOf('=') + 1));
                }
            }
            return r;
        }

        /** Loads the sign-in form (for its cookie and token) and submits it. */
        HttpResponse<String> signIn(String user, String password, String next) throws Exception {
            HttpResponse<String> page = get("/login");
            assertEquals(200, page.statusCode(), page.body());
            Map<String, String> form = new LinkedHashMap<>();
            form.put("csrf", csrf(page.body()));
            form.put("username", user);
            form.put("password", password);
            form.put("next", next);
            return post("/login", form, "text/html");
        }
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "a CSRF field in " + html);
        return m.group(1);
    }

    private static long metric(String line) throws Exception {
        String text = new Visitor().get("/metrics").body();
        for (String l : text.split("\n")) {
            if (l.startsWith(line + " ")) {
                return Long.parseLong(l.substring(line.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The Content-Type without spaces, lower case (Jetty writes "text/html;charset=utf-8"). */
    private static String contentType(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
    }

    /** The q-quantile, interpolated between the two nearest of the sorted values. */
    private static double quantile(List<Double> xs, double q) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }

    @Test
    @Order(1)
    void aWrongPasswordCostsTheSameForAKnownAndAnUnknownReviewerId() throws Exception {
        // Known and unknown ids in turn (the order alternating), 8 tries each per round. On a machine shared with
        // other builds one try's wall time swings by ±50%, mostly upwards: a round passes when the medians, or the
        // lower quartiles (the tries least slowed by others), are within 20%; up to three rounds, each with its own
        // known id (so none reaches the brake's 10). The old 10,000-iteration dummy failed both by ~80%.
        List<String> rounds = new ArrayList<>();
        boolean equal = false;
        for (String knownId : List.of("carol", "frank", "grace")) {
            List<Double> known = new ArrayList<>();
            List<Double> unknown = new ArrayList<>();
            Visitor v = new Visitor();
            assertEquals(401, v.signIn(knownId, "wrong", "/").statusCode()); // warm-up: JIT, connections
            String token = csrf(v.get("/login").body());
            for (int i = 1; i <= 8; i++) {
                for (boolean isKnown : new boolean[] {i % 2 == 0, i % 2 != 0}) {
                    Map<String, String> form = new LinkedHashMap<>(Map.of("csrf", token, "password", "wrong",
                            "next", "/", "username", isKnown ? knownId : "nobody-" + knownId + i));
                    long t = System.nanoTime();
                    assertEquals(401, v.post("/login", form, "text/html").statusCode());
                    (isKnown ? known : unknown).add((System.nanoTime() - t) / 1e6);
                }
            }
            double medianGap = gap(quantile(known, 0.5), quantile(unknown, 0.5));
            double quartileGap = gap(quantile(known, 0.25), quantile(unknown, 0.25));
            String round = String.format(Locale.ROOT, "%s: medians %.1f vs %.1f ms (gap %.1f%%), lower quartiles"
                    + " %.1f vs %.1f ms (gap %.1f%%)", knownId, quantile(known, 0.5), quantile(unknown, 0.5),
                    100 * medianGap, quantile(known, 0.25), quantile(unknown, 0.25), 100 * quartileGap);
            System.out.println("sign-in with a wrong password, known vs unknown id, " + round);
            rounds.add(round);
            if (medianGap <= 0.20 || quartileGap <= 0.20) {
                equal = true;
                break;
            }
        }
        assertTrue(equal, "a wrong password for a known and an unknown id cost differently: " + rounds);
    }

    private static double gap(double a, double b) {
        return Math.abs(a - b) / Math.max(a, b);
    }

    @Test
    @Order(2)
    void theEleventhWrongPasswordInsideAMinuteIsRefusedWith429AndRetryAfter() throws Exception {
        long throttledBefore = metric("lepistream_console_signins_total{outcome=\"throttled\"}");
        Visitor attacker = new Visitor();
        for (int i = 1; i <= 10; i++) {
            assertEquals(401, attacker.signIn("dave", "guess-" + i, "/").statusCode(), "guess " + i);
        }
        HttpResponse<String> eleventh = attacker.signIn("dave", "guess-11", "/");
        assertEquals(429, eleventh.statusCode(), eleventh.body());
        long retryAfter = Long.parseLong(eleventh.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(eleventh.body().contains("Too many failed sign-ins"), eleventh.body());
        // Blocked means blocked: not even the right password is checked meanwhile, from a browser not known.
        assertEquals(429, new Visitor().signIn("dave", PASSWORD, "/").statusCode());
        assertEquals(throttledBefore + 2, metric("lepistream_console_signins_total{outcome=\"throttled\"}"));
        assertTrue(metric("lepistream_console_signin_blocks_total{scope=\"account\"}") >= 1);
        // Other reviewers are not touched.
        assertEquals(303, new Visitor().signIn("bob", PASSWORD, "/").statusCode());
    }

    @Test
    @Order(3)
    void guessingCannotLockAReviewerOutOfTheBrowserTheySignedInWithBefore() throws Exception {
        Visitor erin = new Visitor();
        assertEquals(303, erin.signIn("erin", PASSWORD, "/").statusCode());
        assertTrue(erin.cookies.containsKey(SignIn.KNOWN_COOKIE), "the browser is remembered: " + erin.cookies);
        erin.cookies.remove(ConsoleWeb.SESSION_COOKIE); // signed out, later

        Visitor attacker = new Visitor();
        for (int i = 1; i <= 10; i++) {
            attacker.signIn("erin", "guess-" + i, "/");
        }
        assertEquals(429, attacker.signIn("erin", PASSWORD, "/").statusCode(), "erin's id is blocked for others");
        assertEquals(303, erin.signIn("erin", PASSWORD, "/").statusCode(), "but not in erin's own browser");
        // A forged remembered-browser cookie is no way round the block.
        Visitor forger = new Visitor();
        String genuine = erin.cookies.get(SignIn.KNOWN_COOKIE);
        char last = genuine.charAt(genuine.length() - 1);
        forger.cookies.put(SignIn.KNOWN_COOKIE, genuine.substring(0, genuine.length() - 1) + (last == 'A' ? 'B' : 'A'));
        assertEquals(429, forger.signIn("erin", PASSWORD, "/").statusCode());
    }

    @Test
    @Order(4)
    void everyNextAttackEndsAtTheRoot() throws Exception {
        // The issue's own request, byte for byte: the form offers "/" as next.
        Visitor v = new Visitor();
        assertTrue(v.get("/login?next=/%09/evil.example").body().contains("name='next' value='/'"));
        for (String attack : NextTargetTest.ATTACKS) {
            String shown = v.get("/login?next=" + URLEncoder.encode(attack, StandardCharsets.UTF_8)).body();
            assertTrue(shown.contains("name='next' value='/'"), "GET /login?next=" + attack);
        }
        // Signing in with each attack as next (as a forged form would) lands on "/".
        Visitor alice = new Visitor();
        for (String attack : NextTargetTest.ATTACKS) {
            HttpResponse<String> r = alice.signIn("alice", PASSWORD, attack);
            assertEquals(303, r.statusCode(), r.body());
            assertEquals("/", r.headers().firstValue("Location").orElseThrow(), "next=" + attack);
        }
    }

    @Test
    @Order(5)
    void anonymousVisitorsCreateNoSessionAndEveryPageDeclaresUtf8() throws Exception {
        long before = metric("lepistream_console_sessions");
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> r = new Visitor().get("/login");
            assertEquals(200, r.statusCode());
            assertFalse(r.headers().allValues("Set-Cookie").stream()
                    .anyMatch(c -> c.startsWith(ConsoleWeb.SESSION_COOKIE + "=")), "no session cookie before sign-in");
            assertEquals("text/html;charset=utf-8", contentType(r));
        }
        assertEquals(before, metric("lepistream_console_sessions"), "300 cookie-less visits stored no session");
        // Without the form's cookie, a sign-in is refused (that is the CSRF defence now).
        Map<String, String> forged = Map.of("csrf", csrf(new Visitor().get("/login").body()), "username", "alice",
                "password", PASSWORD);
        assertEquals(403, new Visitor().post("/login", forged, "text/html").statusCode());
        Visitor alice = new Visitor();
        alice.signIn("alice", PASSWORD, "/");
        assertEquals(before + 1, metric("lepistream_console_sessions"), "a sign-in stores one");
        for (String page : List.of("/", "/dashboard", "/sightings/claim-me", "/no-such-page")) {
            HttpResponse<String> r = alice.get(page);
            assertEquals("text/html;charset=utf-8", contentType(r), page);
        }
    }

    @Test
    @Order(6)
    void idsThatNeedEscapingAreReachableFromTheQueueAndThroughSignIn() throws Exception {
        String queue = null;
        for (String id : oddIds()) {
            String path = Html.sightingPath(id, null);
            // Unsigned: sent to sign-in, and back to exactly that sighting afterwards (no loop).
            Visitor fresh = new Visitor();
            HttpResponse<String> r = fresh.get(path);
            assertEquals(302, r.statusCode());
            String login = r.headers().firstValue("Location").orElseThrow();
            String next = java.net.URLDecoder.decode(login.substring(login.indexOf("next=") + 5),
                    StandardCharsets.UTF_8);
            assertEquals(path, next, id);
            HttpResponse<String> signedIn = fresh.signIn("alice", PASSWORD, next);
            assertEquals(path, signedIn.headers().firstValue("Location").orElseThrow(), id);
            HttpResponse<String> page = fresh.get(path);
            assertEquals(200, page.statusCode(), id + ": " + page.body());
            assertTrue(page.body().contains("<code id='sighting-id'>" + Html.esc(id) + "</code>"), id);
            HttpResponse<String> photo = fresh.get(Html.sightingPath(id, "photo"));
            assertEquals("image/jpeg", photo.headers().firstValue("Content-Type").orElseThrow(), id);
            if (queue == null) {
                queue = fresh.get("/").body();
            }
            assertTrue(queue.contains("href='" + path + "'"), "the queue links " + path);
        }
    }

    @Test
    @Order(7)
    void aClaimSurvivesARestartOfTheConsole() throws Exception {
        Visitor alice = new Visitor();
        alice.signIn("alice", PASSWORD, "/");
        assertFalse(alice.get("/sightings/claim-me").body().contains("id='claimed'"), "alice holds it");

        console.close();
        startConsole();

        Visitor bob = new Visitor();
        assertEquals(303, bob.signIn("bob", PASSWORD, "/").statusCode());
        HttpResponse<String> page = bob.get("/sightings/claim-me");
        assertTrue(page.body().contains("Claimed by alice until"), page.body());
        Matcher claimed = Pattern.compile("id='claimed'>(.*?)</p>").matcher(page.body());
        assertTrue(claimed.find(), page.body());
        assertTrue(claimed.group(1).matches("Claimed by alice until \\d\\d:\\d\\d UTC \\(in 1[45] min\\).*"),
                "the expiry as a time of day, not an instant with nanoseconds: " + claimed.group(1));
        HttpResponse<String> label = bob.post("/sightings/claim-me/label", Map.of("csrf", csrf(page.body()),
                "choice", "unidentifiable"), "application/json");
        assertEquals(409, label.statusCode(), label.body());
        assertTrue(label.body().contains("claimed by alice"), label.body());

        // Sessions do not survive (documented): alice signs in again and labels it.
        Visitor aliceAgain = new Visitor();
        aliceAgain.signIn("alice", PASSWORD, "/");
        HttpResponse<String> mine = aliceAgain.get("/sightings/claim-me");
        HttpResponse<String> done = aliceAgain.post("/sightings/claim-me/label", Map.of("csrf", csrf(mine.body()),
                "choice", "unidentifiable"), "application/json");
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("RECORDED"), done.body());
    }

    @Test
    @Order(8)
    void aRareTaxonWaitsForASecondBlindReviewerWhoseAgreementMakesTheLabelEvenAfterARestart() throws Exception {
        Visitor alice = new Visitor();
        alice.signIn("alice", PASSWORD, "/");
        HttpResponse<String> page = alice.get("/sightings/rare-1");
        HttpResponse<String> first = alice.post("/sightings/rare-1/label", Map.of("csrf", csrf(page.body()),
                "choice", "label|Danaus plexippus|species"), "application/json");
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("AWAITING_SECOND"), first.body());
        assertTrue(alice.get("/").body().contains("SECOND_OPINION"), "the queue marks it");
        assertTrue(alice.get("/sightings/rare-1").body().contains("You gave your verdict"), "alice is told it waits");
        String aliceNext = alice.get("/next").headers().firstValue("Location").orElse("");
        assertFalse(aliceNext.startsWith("/sightings/rare-1"), "never back to the first reviewer: " + aliceNext);

        console.close();
        startConsole(); // the opinion is kept in the state dir

        Visitor bob = new Visitor();
        bob.signIn("bob", PASSWORD, "/");
        assertEquals("/sightings/rare-1", bob.get("/next").headers().firstValue("Location").orElse("")
                .replaceAll("\\?.*", ""), "a sighting waiting for a second opinion comes first for others");
        HttpResponse<String> blind = bob.get("/sightings/rare-1");
        Matcher note = Pattern.compile("id='consensus-note'[^>]*>(.*?)</p>").matcher(blind.body());
        assertTrue(note.find(), blind.body());
        assertTrue(note.group(1).startsWith("A second opinion is needed"), note.group(1));
        assertFalse(note.group(1).contains("Danaus") || blind.body().contains("alice"), "blind: " + note.group(1));
        HttpResponse<String> second = bob.post("/sightings/rare-1/label", Map.of("csrf", csrf(blind.body()),
                "choice", "label|Danaus plexippus|species"), "application/json");
        assertEquals(200, second.statusCode(), second.body());
        assertTrue(second.body().contains("RECORDED"), second.body());

        List<org.lepistream.schemas.ExpertLabel> labels = topics.labelsFor("rare-1", Duration.ofSeconds(3));
        assertEquals(1, labels.size(), "one label, from the agreement: " + labels);
        assertEquals("bob", labels.get(0).getReviewerId());
        assertEquals("Danaus plexippus", labels.get(0).getTaxon());
        assertTrue(labels.get(0).getNote().contains("agreeing with alice"), labels.get(0).getNote());
    }
}
