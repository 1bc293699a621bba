package org.lepistream.review.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
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
import org.lepistream.schemas.ExpertLabel;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.Timings;
import org.lepistream.schemas.Verdict;
import org.lepistream.stack.LocalStack;
import org.lepistream.stack.junit.LocalStackExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console end to end in a real headless Chromium against a real broker and registry: sign in, open the first
 * queued sighting, pick a species, submit; the label is on the topic once, with the reviewer; a second submit adds
 * nothing; unsigned requests are refused; a corrupt photo shows a placeholder and is labelled unidentifiable.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String PASSWORD = "butterfly-net-42";

    @TempDir
    static Path work;
    private static StackTopics topics;
    private static ReviewConsole console;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start(LocalStack stack) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "SKIPPED: the browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and "
                        + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver; .ci/run does this)");
        topics = new StackTopics(stack, "browser");
        Instant t0 = Instant.now().minus(Duration.ofHours(3));
        // Oldest first: s1 is the first item of the queue.
        send(Fixtures.request("s1", "Vanessa cardui", ReviewReason.LOW_OVERLAP, 0.18, "v7", t0, realPhoto()));
        send(Fixtures.request("s2", "Pieris rapae", ReviewReason.LOW_CONFIDENCE, 0.66, "v7", t0.plusSeconds(60),
                Fixtures.photo(2)));
        byte[] cut = Arrays.copyOf(Fixtures.photo(3), 300); // an upload cut short: a valid header, no picture
        send(Fixtures.request("s3-corrupt", "Danaus plexippus", ReviewReason.ROLLED_UP, 0.4, "v7",
                t0.plusSeconds(120), cut));
        send(Fixtures.request("s4", "Danaus plexippus", ReviewReason.LOW_OVERLAP, 0.3, "v7", t0.plusSeconds(180),
                Fixtures.photo(4)));

        // Accepted identifications, for the dashboard's overlap comparison.
        for (int i = 0; i < 6; i++) {
            topics.send(topics.identifications, "ok" + i, Identification.class, Identification.newBuilder()
                    .setSightingId("ok" + i).setModelVersion("v7").setPredictions(List.of())
                    .setDecidedRank("species").setDecidedTaxon("Pieris rapae").setOverlap(0.8 + 0.03 * i)
                    .setConfidence(0.97).setRoute(Route.IDENTIFIED).setReasons(List.of())
                    .setTimings(new Timings(1L, 1L, 1L)).setProcessedAt(t0.plusSeconds(i)).build());
        }

        Path labelsCsv = work.resolve("labels.csv");
        Files.writeString(labelsCsv, Fixtures.LABELS_CSV);
        Properties p = topics.consoleProperties();
        p.setProperty("lepistream.application.id", "browser-it");
        p.setProperty("lepistream.state.dir", work.resolve("state").toString());
        p.setProperty("lepistream.taxonomy", labelsCsv.toString());
        p.setProperty("lepistream.http.port", "0");
        p.setProperty("lepistream.user.alice", PasswordHash.hash(PASSWORD.toCharArray(), 5000));
        p.setProperty("lepistream.user.bob", PasswordHash.hash("another-password".toCharArray(), 5000));
        p.setProperty("lepistream.consensus.taxa", "Danaus"); // a label naming it waits for a second reviewer
        console = new ReviewConsole(ConsoleConfig.of(p));
        console.start(Duration.ofSeconds(60));
        base = console.url().replaceAll("/$", "");
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (console.queue().pending().size() < 4 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(4, console.queue().pending().size(), "the four requests are queued");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,960",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        signIn();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    /** A real Red Admiral from the Leeds set when it is here (for the screenshots), a drawn one otherwise. */
    private static byte[] realPhoto() throws java.io.IOException {
        Path leeds = Path.of(System.getProperty("leeds.dir", "../shared/data/leeds-butterflies"), "images",
                "0090010.jpg");
        return Files.isRegularFile(leeds) ? Files.readAllBytes(leeds) : Fixtures.photo(1);
    }

    private static void send(ReviewRequest r) {
        topics.send(topics.review, r.getIdentification().getSightingId(), ReviewRequest.class, r);
    }

    private static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static void signIn() {
        browser.get(base + "/");
        waitUpTo(10).until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("sign-in")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("queue-table")));
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(name), png);
    }

    /** Posts a label from inside the signed-in page (the browser's cookie and the page's CSRF token). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> postFromPage(String sightingId, String choice, int times) {
        return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const token = document.querySelector('input[name=csrf]').value;"
                        + "const send = () => fetch('/sightings/' + encodeURIComponent(arguments[0]) + '/label',"
                        + " {method: 'POST',"
                        + " headers: {'Accept': 'application/json', 'X-CSRF-Token': token,"
                        + " 'Content-Type': 'application/x-www-form-urlencoded'},"
                        + " body: 'choice=' + encodeURIComponent(arguments[1])})"
                        + ".then(r => r.json().then(b => ({http: r.status, status: b.status})));"
                        + "Promise.all(Array.from({length: arguments[2]}, send)).then(done, e => done([{error: '' + e}]));",
                sightingId, choice, times);
    }

    @Test
    @Order(1)
    void anExpertLabelsTheFirstQueuedSightingOnceAndMovesOnWithoutReloading() throws Exception {
        browser.get(base + "/");
        List<WebElement> rows = browser.findElements(By.cssSelector("#queue-table tbody tr"));
        assertEquals(List.of("s1", "s2", "s3-corrupt", "s4"), rows.stream().map(r -> r.getAttribute("data-id"))
                .toList(), "oldest first");
        screenshot("review-queue.png");

        rows.get(0).findElement(By.cssSelector("a.open")).click();
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("sighting-id"), "s1"));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");
        waitUpTo(10).until(d -> naturalWidth("photo") > 0); // the photo really decoded
        assertEquals(3, browser.findElements(By.cssSelector("table.topk")).size(), "top-k at every rank");
        screenshot("review-sighting.png");
        // The photo fills its column, the page its window; when and where it was seen, and common names, show.
        WebElement photo = browser.findElement(By.id("photo"));
        long column = ((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('section.pictures').clientWidth;")).longValue();
        assertTrue(photo.getRect().getWidth() >= column - 2 && column > 600,
                "photo " + photo.getRect().getWidth() + " px wide in a column of " + column + " px");
        assertFitsTheWindow();
        String observed = browser.findElement(By.id("observed")).getText();
        assertTrue(observed.matches("observed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"
                + " at 53\\.8008° N, 1\\.5491° W by observer-1"), observed);
        assertTrue(browser.findElement(By.id("label-form")).getText().contains("Vanessa cardui Painted Lady"),
                "common names beside the candidates");
        // Click to zoom: the same photo at full resolution over the page; Escape closes it.
        photo.click();
        WebElement zoom = waitUpTo(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("zoom")));
        waitUpTo(5).until(d -> naturalWidth("zoom-photo") > 0);
        assertEquals(naturalWidth("photo"), naturalWidth("zoom-photo"), "the full-resolution photo");
        assertTrue(browser.findElement(By.id("zoom-photo")).getRect().getWidth() >= naturalWidth("photo"));
        screenshot("review-zoom.png");
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
        waitUpTo(5).until(ExpectedConditions.invisibilityOf(zoom));
        // The heatmap and the mask toggle with their keys.
        assertFalse(browser.findElement(By.id("heatmap")).isDisplayed());
        browser.findElement(By.tagName("body")).sendKeys("h");
        waitUpTo(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("heatmap")));
        // Both come as grids and are drawn by the console (the attention at 256 px, the mask at its 16 px).
        waitUpTo(5).until(d -> naturalWidth("heatmap") == 256);
        screenshot("review-heatmap.png");
        browser.findElement(By.tagName("body")).sendKeys("m");
        waitUpTo(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("mask")));
        waitUpTo(5).until(d -> naturalWidth("mask") == 16);
        browser.findElement(By.tagName("body")).sendKeys("h");
        waitUpTo(5).until(ExpectedConditions.invisibilityOfElementLocated(By.id("heatmap")));

        // Pick a species through the taxonomy search.
        WebElement search = browser.findElement(By.id("taxon-search"));
        search.sendKeys("atalanta");
        WebElement hit = waitUpTo(10).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#taxon-results button.taxon-hit")));
        assertTrue(hit.getText().startsWith("Vanessa atalanta"), hit.getText());
        browser.findElement(By.id("note")).sendKeys("white bar on the forewing");
        hit.click();

        // The next sighting arrives in the same document: no full page load.
        waitUpTo(15).until(ExpectedConditions.textToBe(By.id("sighting-id"), "s2"));
        assertEquals("yes", ((JavascriptExecutor) browser).executeScript("return window.sameDocument;"));
        assertTrue(browser.findElement(By.id("flash")).getText().contains("Labelled s1"),
                browser.findElement(By.id("flash")).getText());
        assertTrue(browser.getCurrentUrl().endsWith("/sightings/s2"), browser.getCurrentUrl());

        List<ExpertLabel> s1 = topics.labelsFor("s1", Duration.ofSeconds(2));
        assertEquals(1, s1.size(), "one label for s1: " + s1);
        assertEquals("alice", s1.get(0).getReviewerId());
        assertEquals("Vanessa atalanta", s1.get(0).getTaxon());
        assertEquals("species", s1.get(0).getRank());
        assertEquals(Verdict.CORRECTED, s1.get(0).getVerdict());
        assertEquals("white bar on the forewing", s1.get(0).getNote());
        assertEquals("v7", s1.get(0).getModelVersion());

        // A second submit of the same item (a retry), and a double submit of the next one: one label each.
        List<Map<String, Object>> retry = postFromPage("s1", "confirm|Vanessa|genus", 1);
        assertEquals("ALREADY_LABELLED", retry.get(0).get("status"), retry.toString());
        List<Map<String, Object>> twice = postFromPage("s2", "confirm|Pieris|genus", 2);
        assertEquals(List.of("ALREADY_LABELLED", "RECORDED"), twice.stream().map(m -> (String) m.get("status"))
                .sorted().toList(), twice.toString());
        Map<String, Long> perSighting = topics.labels(Duration.ofSeconds(3)).stream()
                .collect(Collectors.groupingBy(ExpertLabel::getSightingId, Collectors.counting()));
        assertEquals(1L, perSighting.get("s1"));
        assertEquals(1L, perSighting.get("s2"));
        assertEquals(Verdict.CONFIRMED, topics.labelsFor("s2", Duration.ofSeconds(1)).get(0).getVerdict());
    }

    @Test
    @Order(2)
    void unsignedRequestsAreRefusedAndLabelNothing() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base + "/sightings/s4/label"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("choice=unidentifiable"));
        HttpResponse<String> noSession = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noSession.statusCode(), noSession.body());

        browser.get(base + "/");
        String cookie = browser.manage().getCookieNamed(ConsoleWeb.SESSION_COOKIE).getValue();
        HttpResponse<String> noToken = http.send(post.header("Cookie", ConsoleWeb.SESSION_COOKIE + "=" + cookie)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noToken.statusCode(), "a signed-in session without the CSRF token: " + noToken.body());
        HttpResponse<String> wrongToken = http.send(HttpRequest.newBuilder(URI.create(base + "/sightings/s4/label"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", ConsoleWeb.SESSION_COOKIE + "=" + cookie)
                .POST(HttpRequest.BodyPublishers.ofString("choice=unidentifiable&csrf=guessed")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, wrongToken.statusCode());

        assertTrue(topics.labelsFor("s4", Duration.ofSeconds(2)).isEmpty(), "nothing was labelled");
        assertTrue(console.queue().item("s4").isPresent(), "s4 is still queued");
    }

    @Test
    @Order(3)
    void aCorruptPhotoShowsAPlaceholderAndCanBeLabelledUnidentifiable() {
        browser.get(base + "/sightings/s3-corrupt");
        WebElement problem = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(
                By.id("photo-problem")));
        assertTrue(problem.getText().startsWith("Photo unavailable"), problem.getText());
        waitUpTo(10).until(d -> naturalWidth("photo") > 0); // the placeholder picture loaded in its place
        browser.findElement(By.tagName("body")).sendKeys("u");
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
                "Labelled s3-corrupt"));
        List<ExpertLabel> labels = topics.labelsFor("s3-corrupt", Duration.ofSeconds(2));
        assertEquals(1, labels.size());
        assertEquals(Verdict.UNIDENTIFIABLE, labels.get(0).getVerdict());
        assertEquals("alice", labels.get(0).getReviewerId());
        assertFalse(labels.get(0).getTaxon() != null, "no taxon for an unidentifiable sighting");
    }

    @Test
    @Order(4)
    void theDashboardShowsAgreementByRankAndTheOverlapPlot() throws Exception {
        browser.get(base + "/dashboard");
        String agreement = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("agreement")))
                .getText();
        // s1: Vanessa atalanta where the model said Vanessa cardui; s2: genus Pieris as the model said.
        assertTrue(agreement.contains("family 2 / 2") && agreement.contains("genus 2 / 2")
                && agreement.contains("species 0 / 1"), agreement);
        assertTrue(browser.findElement(By.id("per-day")).getText().contains("alice"));
        assertTrue(browser.findElement(By.cssSelector("#overlap-plot svg")).isDisplayed());
        assertTrue(browser.findElement(By.id("by-reason")).getText().contains("LOW_OVERLAP 1"),
                "s4 is still waiting: " + browser.findElement(By.id("by-reason")).getText());
        String models = browser.findElement(By.id("models")).getText();
        assertTrue(models.contains("v7 4 6"), "4 sent to review, 6 accepted by v7: " + models);
        assertTrue(browser.findElement(By.id("overlap-plot")).getText().contains("accepted (n=6)"));
        assertFitsTheWindow();
        screenshot("review-dashboard.png");
    }

    @Test
    @Order(5)
    void idsThatNeedEscapingAreReachedFromTheQueueAndLabelled() throws Exception {
        Instant t = Instant.now();
        for (String id : HtmlTest.ODD_IDS) {
            send(Fixtures.request(id, "Pieris rapae", ReviewReason.LOW_CONFIDENCE, 0.5, "v8", t, Fixtures.photo(5)));
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (HtmlTest.ODD_IDS.stream().anyMatch(id -> console.queue().item(id).isEmpty())
                && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        for (String id : HtmlTest.ODD_IDS) {
            browser.get(base + "/?model=v8");
            WebElement link = browser.findElements(By.cssSelector("#queue-table tbody tr")).stream()
                    .filter(r -> id.equals(r.getAttribute("data-id"))).findFirst()
                    .orElseThrow(() -> new AssertionError(id + " is not in the queue"))
                    .findElement(By.cssSelector("a.open"));
            link.click();
            waitUpTo(10).until(ExpectedConditions.textToBe(By.id("sighting-id"), id));
            waitUpTo(10).until(d -> naturalWidth("photo") > 0);
            browser.findElement(By.tagName("body")).sendKeys("c");
            waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Labelled " + id));
        }
        Map<String, List<ExpertLabel>> labels = topics.labels(Duration.ofSeconds(3)).stream()
                .collect(Collectors.groupingBy(ExpertLabel::getSightingId));
        for (String id : HtmlTest.ODD_IDS) {
            assertEquals(1, labels.getOrDefault(id, List.of()).size(),
                    "one label for '" + id + "': " + labels.keySet());
            assertEquals("Pieris", labels.get(id).get(0).getTaxon());
        }
    }

    @Test
    @Order(6)
    void anAuditIsLabelledBlindAndARareTaxonWaitsForASecondBlindReviewer() throws Exception {
        Instant t = Instant.now();
        send(Fixtures.request("audit-1", "Vanessa cardui", ReviewReason.AUDIT, 0.9, "v9", t, Fixtures.photo(6)));
        send(Fixtures.request("rare-1", "Vanessa atalanta", ReviewReason.LOW_CONFIDENCE, 0.5, "v9", t,
                Fixtures.photo(7)));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((console.queue().item("audit-1").isEmpty() || console.queue().item("rare-1").isEmpty())
                && System.nanoTime() < end) {
            Thread.sleep(100);
        }

        // The audit: the model's answer is hidden until the expert decides, then revealed.
        browser.get(base + "/sightings/audit-1");
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-note")));
        assertTrue(browser.findElements(By.cssSelector("table.topk")).isEmpty(), "no candidates on an audit");
        assertFalse(browser.findElement(By.id("sighting")).getText().contains("Vanessa"), "the answer is hidden");
        screenshot("review-audit.png");
        browser.findElement(By.id("taxon-search")).sendKeys("cardui");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#taxon-results button.taxon-hit")))
                .click();
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
                "audit: the model had said Vanessa (genus)")); // the fixture's model rolled up to the genus
        // The dashboard counts it once the queue has read the label back.
        String[] live = {""};
        waitUpTo(20).until(d -> {
            d.get(base + "/dashboard");
            live[0] = d.findElement(By.id("live-precision")).getText();
            return live[0].contains("v9 genus 1 / 1");
        });

        // Consensus: alice names the rare genus's species; it waits, marked in the queue.
        browser.get(base + "/sightings/rare-1");
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("sighting-id"), "rare-1"));
        browser.findElement(By.id("taxon-search")).sendKeys("plexippus");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#taxon-results button.taxon-hit")))
                .click();
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
                "waits for a second reviewer"));
        assertTrue(topics.labelsFor("rare-1", Duration.ofSeconds(2)).isEmpty(), "no label from one reviewer");
        browser.get(base + "/");
        WebElement row = browser.findElements(By.cssSelector("#queue-table tbody tr")).stream()
                .filter(r -> "rare-1".equals(r.getAttribute("data-id"))).findFirst().orElseThrow();
        assertTrue(row.getText().contains("SECOND_OPINION"), row.getText());

        // bob is offered it first, blind to alice's verdict, and his agreement makes the one label.
        browser.manage().deleteAllCookies();
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys("bob");
        browser.findElement(By.id("password")).sendKeys("another-password");
        browser.findElement(By.id("sign-in")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("queue-table")));
        browser.get(base + "/next");
        waitUpTo(10).until(ExpectedConditions.textToBe(By.id("sighting-id"), "rare-1"));
        String note = browser.findElement(By.id("consensus-note")).getText();
        assertTrue(note.startsWith("A second opinion is needed"), note);
        assertFalse(note.contains("Danaus") || browser.findElement(By.id("sighting")).getText().contains("alice"),
                "blind: " + note);
        screenshot("review-consensus.png");
        browser.findElement(By.id("taxon-search")).sendKeys("plexippus");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#taxon-results button.taxon-hit")))
                .click();
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Labelled rare-1"));
        List<ExpertLabel> labels = topics.labelsFor("rare-1", Duration.ofSeconds(2));
        assertEquals(1, labels.size(), labels.toString());
        assertEquals("bob", labels.get(0).getReviewerId());
        assertEquals("Danaus plexippus", labels.get(0).getTaxon());
        assertTrue(labels.get(0).getNote().contains("agreeing with alice"), labels.get(0).getNote());
    }

    private static void assertFitsTheWindow() {
        Object widths = ((JavascriptExecutor) browser).executeScript(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
        List<?> w = (List<?>) widths;
        assertTrue(((Number) w.get(0)).longValue() <= ((Number) w.get(1)).longValue(),
                "the page is " + w.get(0) + " px wide in a window of " + w.get(1) + " px");
    }

    private static long naturalWidth(String id) {
        Object w = ((JavascriptExecutor) browser).executeScript(
                "const i = document.getElementById(arguments[0]); return i && i.complete ? i.naturalWidth : 0;", id);
        return ((Number) w).longValue();
    }
}
