package org.lepistream.review.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.lepistream.review.auth.KnownBrowsers;
import org.lepistream.review.auth.LoginForm;
import org.lepistream.review.auth.LoginThrottle;
import org.lepistream.review.auth.Reviewers;
import org.lepistream.review.auth.Sessions;
import org.lepistream.review.auth.Sessions.Session;
import org.lepistream.review.claims.Claims;
import org.lepistream.review.claims.Claims.Claim;
import org.lepistream.review.dashboard.Dashboard;
import org.lepistream.review.dashboard.LivePrecision;
import org.lepistream.review.labels.Decision;
import org.lepistream.review.labels.LabelDesk;
import org.lepistream.review.queue.QueueFilter;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.queue.QueueUnavailableException;
import org.lepistream.review.queue.ReviewQueue;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.ReviewRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP face: decides who is signed in, checks the CSRF token of every state-changing request, and
 * turns pages and submissions into queue reads, claims and label-desk calls.
 */
public final class ConsoleWeb implements AutoCloseable {

    /** Who may sign in, and the rules of signing in: sessions, the sign-in form's token, the guessing brake. */
    public record Access(Reviewers reviewers, Sessions sessions, LoginForm form, KnownBrowsers knownBrowsers,
            LoginThrottle accounts, LoginThrottle addresses) {
    }

    static final String SESSION_COOKIE = "lepistream_review";
    static final String HTML = "text/html; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleWeb.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PUBLIC = Set.of("/login", "/health", "/metrics", "/static/console.js",
            "/static/console.css");

    private final ReviewQueue queue;
    private final Claims claims;
    private final LabelDesk desk;
    private final TaxonomyIndex taxonomy;
    private final Sessions sessions;
    private final SignIn signIn;
    private final ConsoleMetrics metrics;
    private final Clock clock;
    private final Map<String, Set<String>> skipped = new ConcurrentHashMap<>();
    private final Map<String, Photos.Picture> pictures = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Photos.Picture> eldest) {
                    return size() > 128;
                }
            });
    private Javalin app;

    public ConsoleWeb(ReviewQueue queue, Claims claims, LabelDesk desk, TaxonomyIndex taxonomy, Access access,
            Clock clock, boolean secureCookies) {
        this.queue = queue;
        this.claims = claims;
        this.desk = desk;
        this.taxonomy = taxonomy;
        this.sessions = access.sessions();
        this.metrics = new ConsoleMetrics(sessions::size, claims::size,
                () -> access.accounts().size() + access.addresses().size());
        this.signIn = new SignIn(access.reviewers(), sessions, access.form(), access.knownBrowsers(),
                access.accounts(), access.addresses(), metrics, secureCookies);
        this.clock = clock;
    }

    /** Starts serving; port 0 picks a free one (see {@link #port()}). */
    public void start(String host, int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = 64 * 1024;
            config.routes.before(this::gate);
            config.routes.get("/health", this::health);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.render()));
            config.routes.get("/static/console.js", ctx -> resource(ctx, "console.js", "text/javascript"));
            config.routes.get("/static/console.css", ctx -> resource(ctx, "console.css", "text/css"));
            config.routes.get("/login", signIn::page);
            config.routes.post("/login", signIn::submit);
            config.routes.post("/logout", ctx -> signIn.logout(ctx, session(ctx)));
            config.routes.get("/", this::queuePage);
            config.routes.get("/next", this::next);
            config.routes.get("/sightings/{id}", this::sightingPage);
            config.routes.get("/sightings/{id}/photo", ctx -> picture(ctx, "photo"));
            config.routes.get("/sightings/{id}/attention", ctx -> picture(ctx, "attention"));
            config.routes.get("/sightings/{id}/mask", ctx -> picture(ctx, "mask"));
            config.routes.post("/sightings/{id}/label", this::label);
            config.routes.post("/sightings/{id}/skip", this::skip);
            config.routes.get("/api/taxa", this::searchTaxa);
            config.routes.get("/dashboard", this::dashboard);
            config.routes.exception(WebError.class, (e, ctx) -> fail(ctx, e.status, e.getMessage()));
            config.routes.error(404, "*", ctx -> {
                if (ctx.attribute("failed") == null) {
                    fail(ctx, 404, "There is no page at " + ctx.path() + ".");
                }
            });
            config.routes.exception(QueueUnavailableException.class, (e, ctx) -> fail(ctx, 503, e.getMessage()));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> fail(ctx, 400, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                fail(ctx, 500, "internal error: " + e.getMessage());
            });
        }).start();
    }

    public int port() {
        return app.port();
    }

    // ---- the gate: sessions, sign-in and CSRF for every request ------------------------------------------------

    private void gate(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https: http:;"
                + " style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'");
        ctx.header("Cache-Control", "no-store");
        Optional<Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        session.ifPresent(s -> ctx.attribute("session", s));
        if (PUBLIC.contains(ctx.path())) {
            return; // POST /login checks the sign-in form's own token
        }
        if (session.isEmpty()) {
            if (ctx.method().toString().equals("GET") && !wantsJson(ctx)) {
                String target = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                ctx.redirect("/login?next=" + Html.url(target));
                throw new WebError(302, "sign in first");
            }
            throw new WebError(401, "sign in first: this request carries no signed-in session");
        }
        if (!ctx.method().toString().equals("GET") && !ctx.method().toString().equals("HEAD")) {
            checkCsrf(ctx, session.get());
        }
    }

    private static void checkCsrf(Context ctx, Session session) {
        String token = ctx.header("X-CSRF-Token");
        if (token == null) {
            token = ctx.formParam("csrf");
        }
        if (session == null || !session.csrfMatches(token)) {
            throw new WebError(403, "missing or wrong CSRF token: reload the page and try again");
        }
    }

    private static Session session(Context ctx) {
        return ctx.attribute("session");
    }

    private static String reviewer(Context ctx) {
        Session s = session(ctx);
        return s == null ? null : s.reviewerId();
    }

    private static String csrf(Context ctx) {
        Session s = session(ctx);
        return s == null ? "" : s.csrfToken();
    }

    // ---- queue ------------------------------------------------------------------------------------------------

    private void queuePage(Context ctx) {
        Filters f = Filters.from(ctx::queryParam);
        List<QueueItem> all = pendingNow();
        List<QueueItem> shown = matching(all, f.toQueueFilter());
        Set<String> models = new TreeSet<>();
        all.forEach(i -> models.add(i.modelVersion()));
        html(ctx, 200, Pages.queue(reviewer(ctx), csrf(ctx), shown, all.size(), f, claims.live(),
                desk.opinions().counts(), models, clock.millis(),
                ctx.queryParam("done") != null ? "Nothing left to review for these filters." : null));
    }

    /** Pending items not yet seen labelled, oldest first. */
    private List<QueueItem> pendingNow() {
        return queue.pending().stream().filter(i -> !desk.recentlyLabelled(i.sightingId()))
                .sorted(Comparator.comparingLong(QueueItem::routedAt).thenComparing(QueueItem::sightingId)).toList();
    }

    private List<QueueItem> matching(List<QueueItem> items, QueueFilter filter) {
        long now = clock.millis();
        return items.stream().filter(i -> filter.matches(i, now)).toList();
    }

    /**
     * Claims the oldest matching item nobody holds and opens it; items waiting for a second opinion first (someone's
     * verdict waits on them), never to the reviewer who gave the first.
     */
    private void next(Context ctx) {
        Filters f = Filters.from(ctx::queryParam);
        String me = reviewer(ctx);
        Set<String> mySkips = skipped.getOrDefault(me, Set.of());
        boolean fragment = ctx.queryParam("fragment") != null;
        Map<String, Integer> opinions = desk.opinions().counts();
        List<QueueItem> candidates = matching(pendingNow(), f.toQueueFilter()).stream()
                .sorted(Comparator.comparing((QueueItem i) -> !opinions.containsKey(i.sightingId()))).toList();
        for (QueueItem item : candidates) {
            if (mySkips.contains(item.sightingId()) || desk.opinions().from(item.sightingId(), me).isPresent()) {
                continue;
            }
            Claim c = claims.claim(item.sightingId(), me);
            if (c.reviewerId().equals(me)) {
                ctx.redirect(Html.sightingPath(item.sightingId(), null) + "?" + f.query()
                        + (fragment ? (f.query().isEmpty() ? "" : "&") + "fragment=1" : ""));
                return;
            }
        }
        skipped.remove(me); // the round is over: skipped items come back next time
        if (fragment) {
            html(ctx, 200, Pages.empty(f));
        } else {
            ctx.redirect("/?" + (f.query().isEmpty() ? "" : f.query() + "&") + "done=1");
        }
    }

    private void sightingPage(Context ctx) {
        String id = ctx.pathParam("id");
        Filters f = Filters.from(ctx::queryParam);
        Optional<QueueItem> item = queue.item(id).filter(i -> !desk.recentlyLabelled(id));
        Optional<ReviewRequest> request = item.isPresent() ? queue.request(id) : Optional.empty();
        if (item.isEmpty() || request.isEmpty()) {
            String why = queue.outcome(id).map(o -> "Sighting " + id + " was already labelled by " + o.reviewerId()
                    + " (" + o.verdict() + (o.taxon() == null ? "" : " " + o.taxon()) + ").")
                    .orElse("Sighting " + id + " is not in the review queue.");
            throw new WebError(404, why);
        }
        var mine = desk.opinions().from(id, reviewer(ctx));
        // Opening claims it (a no-op when someone else holds it: shows their claim), except for a reviewer whose
        // verdict already waits on it: the second one must be someone else.
        Claim claim = mine.isPresent() ? claims.holder(id).orElse(null) : claims.claim(id, reviewer(ctx));
        ReviewRequest r = request.get();
        // Blind: a second reviewer is told that an opinion waits, never what it says.
        String consensus = mine
                .map(o -> "You gave your verdict (" + o.verdict() + (o.taxon() == null ? "" : " " + o.taxon()) + "): it"
                        + " becomes a label when a second reviewer agrees.")
                .orElse(desk.opinions().of(id).isEmpty() ? null : "A second opinion is needed: another reviewer's"
                        + " verdict is hidden until you decide.");
        String html = Pages.sighting(reviewer(ctx), csrf(ctx), r, item.get(), picture(id, "photo", r),
                r.getAttentionOverlayPng() != null || r.getAttention() != null,
                r.getMaskPng() != null || r.getMask() != null, claim, f, clock.millis(), taxonomy,
                consensus);
        html(ctx, 200, ctx.queryParam("fragment") != null ? html
                : Pages.layout("Sighting " + id, reviewer(ctx), csrf(ctx), html));
    }

    private Photos.Picture picture(String id, String what, ReviewRequest r) {
        return pictures.computeIfAbsent(id + "/" + what, k -> pictureOf(r, what));
    }

    /** A request's photo, attention or mask as served: services before 2026-12-03 sent PNGs, newer ones grids. */
    static Photos.Picture pictureOf(ReviewRequest r, String what) {
        return switch (what) {
            case "photo" -> Photos.check(r.getImage(), what);
            case "attention" -> r.getAttentionOverlayPng() != null ? Photos.check(r.getAttentionOverlayPng(), what)
                    : Heatmaps.attention(r.getAttention());
            default -> r.getMaskPng() != null ? Photos.check(r.getMaskPng(), what) : Heatmaps.mask(r.getMask());
        };
    }

    private void picture(Context ctx, String what) {
        String id = ctx.pathParam("id");
        ReviewRequest r = queue.request(id).orElseThrow(() -> new WebError(404, "sighting " + id
                + " is not in the review queue"));
        Photos.Picture p = picture(id, what, r);
        ctx.header("Cache-Control", "private, max-age=3600");
        if (p.ok()) {
            ctx.contentType(p.mimeType()).result(p.bytes());
        } else {
            ctx.contentType("image/svg+xml").result(Photos.placeholderSvg(p.problem()));
        }
    }

    // ---- decisions ----------------------------------------------------------------------------------------------

    private void label(Context ctx) {
        String id = ctx.pathParam("id");
        Filters f = Filters.from(ctx::queryParam);
        String[] choice = (ctx.formParam("choice") == null ? "" : ctx.formParam("choice")).split("\\|", 3);
        Decision decision = Decision.parse(choice[0], choice.length > 1 ? choice[1] : null,
                choice.length > 2 ? choice[2] : null, ctx.formParam("note"));
        Optional<QueueItem> audited = queue.item(id).filter(i -> i.reasons().contains(LivePrecision.AUDIT));
        LabelDesk.Result result = desk.submit(id, reviewer(ctx), decision);
        int status = switch (result.status()) {
            case RECORDED, ALREADY_LABELLED, AWAITING_SECOND -> 200;
            case CLAIMED_BY_OTHER -> 409;
            case NOT_QUEUED -> 404;
        };
        String message = switch (result.status()) {
            case RECORDED -> "Labelled " + id + ": " + result.verdict()
                    + (result.taxon() == null ? "" : " " + result.taxon() + " (" + result.rank() + ")")
                    // The audit's answer, shown once the expert's own is recorded.
                    + audited.map(i -> " · audit: the model had said " + i.decidedTaxon() + " (" + i.decidedRank()
                            + ")").orElse("");
            case ALREADY_LABELLED -> id + " was already labelled by " + result.reviewerId() + " ("
                    + result.verdict() + (result.taxon() == null ? "" : " " + result.taxon()) + "); nothing changed";
            case CLAIMED_BY_OTHER -> id + " is claimed by " + result.reviewerId() + "; nothing recorded";
            case NOT_QUEUED -> id + " is not in the review queue; nothing recorded";
            case AWAITING_SECOND -> "Your verdict on " + id + " (" + result.verdict()
                    + (result.taxon() == null ? "" : " " + result.taxon()) + ") waits for a second reviewer, who will"
                    + " not see it: it becomes a label when they agree";
        };
        String next = "/next" + (f.query().isEmpty() ? "" : "?" + f.query());
        if (wantsJson(ctx)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", result.status().name());
            body.put("message", message);
            body.put("sightingId", id);
            body.put("next", next);
            json(ctx, status, body);
        } else if (status == 200) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
        } else {
            fail(ctx, status, message);
        }
    }

    private void skip(Context ctx) {
        String id = ctx.pathParam("id");
        String me = reviewer(ctx);
        claims.release(id, me);
        skipped.computeIfAbsent(me, k -> ConcurrentHashMap.newKeySet()).add(id);
        Filters f = Filters.from(ctx::queryParam);
        String next = "/next" + (f.query().isEmpty() ? "" : "?" + f.query());
        if (wantsJson(ctx)) {
            json(ctx, 200, Map.of("status", "SKIPPED", "message", "Skipped " + id, "sightingId", id, "next", next));
        } else {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
        }
    }

    private void searchTaxa(Context ctx) {
        List<Map<String, String>> hits = taxonomy.search(ctx.queryParam("q"), 20).stream()
                .map(t -> Map.of("rank", t.rank(), "name", t.name(), "path", t.path(),
                        "common", taxonomy.commonName(t.name()).orElse(""))).toList();
        json(ctx, 200, hits);
    }

    private void dashboard(Context ctx) {
        Dashboard d = Dashboard.of(queue.pending(), queue.outcomes(), queue.stats(), taxonomy);
        html(ctx, 200, Pages.dashboard(reviewer(ctx), csrf(ctx), d));
    }

    private void health(Context ctx) {
        boolean up = queue.state().isRunningOrRebalancing();
        ctx.status(up ? 200 : 503).contentType("text/plain; charset=utf-8").result("queue " + queue.state() + "\n");
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json");
    }

    private void fail(Context ctx, int status, String message) {
        if (status == 302) {
            return; // the redirect to sign-in is already set
        }
        ctx.attribute("failed", Boolean.TRUE);
        if (wantsJson(ctx) || ctx.path().startsWith("/api/")) {
            json(ctx, status, Map.of("status", "ERROR", "message", message == null ? "" : message));
        } else {
            html(ctx, status, Pages.error(reviewer(ctx), csrf(ctx), status, message));
        }
    }

    /** Every page declares its charset: ids, names and notes are not all ASCII. */
    static void html(Context ctx, int status, String page) {
        ctx.status(status).contentType(HTML).result(page);
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void resource(Context ctx, String name, String type) {
        try (InputStream in = ConsoleWeb.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new WebError(404, name + " missing from the build");
            }
            ctx.header("Cache-Control", "max-age=300").contentType(type + "; charset=utf-8").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
