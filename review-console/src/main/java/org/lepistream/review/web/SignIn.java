package org.lepistream.review.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lepistream.review.auth.KnownBrowsers;
import org.lepistream.review.auth.LoginForm;
import org.lepistream.review.auth.LoginThrottle;
import org.lepistream.review.auth.Reviewers;
import org.lepistream.review.auth.Sessions;
import org.lepistream.review.auth.Sessions.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sign-out: the form's CSRF check without a server-side session, the brake on guessing (per reviewer
 * id and per address, or per browser for one that signed in as that reviewer before), the password check, and the
 * new session. Every refusal says why; blocks are logged when they start and counted on /metrics.
 */
final class SignIn {

    static final String FORM_COOKIE = "lepistream_signin";
    static final String KNOWN_COOKIE = "lepistream_known";
    private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);
    private static final int MAX_ID_IN_KEY = 100;

    private final Reviewers reviewers;
    private final Sessions sessions;
    private final LoginForm form;
    private final KnownBrowsers knownBrowsers;
    private final LoginThrottle accounts;
    private final LoginThrottle addresses;
    private final ConsoleMetrics metrics;
    private final boolean secureCookies;

    SignIn(Reviewers reviewers, Sessions sessions, LoginForm form, KnownBrowsers knownBrowsers,
            LoginThrottle accounts, LoginThrottle addresses, ConsoleMetrics metrics, boolean secureCookies) {
        this.reviewers = reviewers;
        this.sessions = sessions;
        this.form = form;
        this.knownBrowsers = knownBrowsers;
        this.accounts = accounts;
        this.addresses = addresses;
        this.metrics = metrics;
        this.secureCookies = secureCookies;
    }

    /** GET /login: the form, with a fresh form cookie when the browser has none (nothing is stored here). */
    void page(Context ctx) {
        ConsoleWeb.html(ctx, 200, Pages.login(formToken(ctx), NextTarget.safe(ctx.queryParam("next")), null));
    }

    /** POST /login. */
    void submit(Context ctx) {
        String next = NextTarget.safe(ctx.formParam("next"));
        if (!form.accepts(ctx.cookie(FORM_COOKIE), ctx.formParam("csrf"))) {
            // A fresh form comes with the refusal, so a reviewer whose page went stale just signs in again.
            ConsoleWeb.html(ctx, 403, Pages.login(formToken(ctx), next, "The sign-in form had expired or was not"
                    + " sent from this browser's sign-in page. Please sign in again."));
            return;
        }
        String user = ctx.formParam("username") == null ? "" : ctx.formParam("username").trim();
        String password = ctx.formParam("password");
        List<Brake> brakes = brakesFor(ctx, user);
        for (Brake b : brakes) {
            Optional<LoginThrottle.Block> block = b.throttle.blocked(b.key);
            if (block.isPresent()) {
                metrics.signIns.inc("throttled");
                long seconds = Math.max(1, (block.get().retryAfter().toMillis() + 999) / 1000);
                ctx.header("Retry-After", String.valueOf(seconds));
                ConsoleWeb.html(ctx, 429, Pages.login(formToken(ctx), next, "Too many failed sign-ins for "
                        + b.what + ". Try again in " + Pages.duration(seconds) + "."));
                return;
            }
        }
        Optional<String> who = reviewers.authenticate(user, password == null ? new char[0] : password.toCharArray());
        if (who.isEmpty()) {
            metrics.signIns.inc("failure");
            LOG.info("failed sign-in for '{}' from {}", printable(user), ctx.ip());
            for (Brake b : brakes) {
                b.throttle.failed(b.key).ifPresent(block -> {
                    metrics.blocks.inc(b.scope);
                    LOG.warn("sign-in blocked for {} s: {} (too many failed sign-ins; last for '{}' from {})",
                            block.retryAfter().toSeconds(), b.scope + " " + printable(b.key), printable(user),
                            ctx.ip());
                });
            }
            ConsoleWeb.html(ctx, 401, Pages.login(formToken(ctx), next, "Unknown reviewer or wrong password."));
            return;
        }
        metrics.signIns.inc("success");
        // The address's failures stay: one valid account must not let its holder reset the brake for guessing.
        brakes.stream().filter(b -> !b.scope.equals("address")).forEach(b -> b.throttle.succeeded(b.key));
        Session current = sessions.find(ctx.cookie(ConsoleWeb.SESSION_COOKIE)).orElse(null);
        Session signedIn = sessions.signIn(current == null ? null : current.id(), who.get());
        ctx.cookie(cookie(ConsoleWeb.SESSION_COOKIE, signedIn.id(), -1));
        ctx.cookie(cookie(KNOWN_COOKIE, knownBrowsers.cookieFor(who.get()),
                (int) knownBrowsers.maxAge().toSeconds()));
        ctx.removeCookie(FORM_COOKIE, "/");
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    /** POST /logout (its CSRF token is the session's, checked by the gate). */
    void logout(Context ctx, Session session) {
        sessions.close(session.id());
        ctx.removeCookie(ConsoleWeb.SESSION_COOKIE, "/");
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private record Brake(LoginThrottle throttle, String key, String scope, String what) {
    }

    private List<Brake> brakesFor(Context ctx, String user) {
        String id = user.length() > MAX_ID_IN_KEY ? user.substring(0, MAX_ID_IN_KEY) : user;
        String known = ctx.cookie(KNOWN_COOKIE);
        List<Brake> brakes = new ArrayList<>();
        if (!id.isEmpty() && knownBrowsers.reviewer(known).filter(id::equals).isPresent()) {
            brakes.add(new Brake(accounts, "browser " + known, "browser", "this reviewer id from this browser"));
        } else {
            brakes.add(new Brake(accounts, "account " + id, "account", "this reviewer id"));
            brakes.add(new Brake(addresses, "address " + ctx.ip(), "address", "this address"));
        }
        return brakes;
    }

    private String formToken(Context ctx) {
        String cookie = ctx.cookie(FORM_COOKIE);
        if (!form.fresh(cookie)) {
            cookie = form.newCookie();
            ctx.cookie(cookie(FORM_COOKIE, cookie, -1));
        }
        return form.tokenFor(cookie);
    }

    private Cookie cookie(String name, String value, int maxAge) {
        return new Cookie(name, value, "/", maxAge, secureCookies, true, null, SameSite.STRICT);
    }

    /** A submitted id as it may go into a log line: no line breaks or other control characters, bounded. */
    private static String printable(String s) {
        String t = s.length() > MAX_ID_IN_KEY ? s.substring(0, MAX_ID_IN_KEY) + "…" : s;
        return t.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
