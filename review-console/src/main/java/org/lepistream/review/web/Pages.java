package org.lepistream.review.web;

import static org.lepistream.review.web.Html.esc;
import static org.lepistream.review.web.Html.sightingPath;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lepistream.review.claims.Claims.Claim;
import org.lepistream.review.dashboard.Dashboard;
import org.lepistream.review.dashboard.LivePrecision;
import org.lepistream.review.dashboard.OverlapPlot;
import org.lepistream.review.queue.QueueItem;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.GeoPoint;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.TaxonScore;

/** The console's server-rendered HTML. Every value from a record or a request is escaped. */
final class Pages {

    private static final List<String> REASONS = List.of("LOW_OVERLAP", "LOW_CONFIDENCE", "ROLLED_UP", "AUDIT",
            "NO_BUTTERFLY");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Pages() {
    }

    static String layout(String title, String reviewer, String csrf, String body) {
        StringBuilder s = new StringBuilder("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                + "<meta name='viewport' content='width=device-width, initial-scale=1'><title>")
                .append(esc(title)).append(" · lepistream review</title>"
                        + "<link rel='stylesheet' href='/static/console.css'>"
                        + "<script src='/static/console.js' defer></script></head><body><nav class='top'>"
                        + "<span class='brand'>lepistream review</span>");
        if (reviewer != null) {
            s.append("<a href='/'>Queue</a><a href='/next'>Next item</a><a href='/dashboard'>Dashboard</a>"
                    + "<span class='who'>signed in as <b id='reviewer'>").append(esc(reviewer)).append("</b></span>"
                    + "<form method='post' action='/logout' class='inline'>").append(csrfField(csrf))
                    .append("<button type='submit'>Sign out</button></form>");
        }
        return s.append("</nav>").append(body).append("</body></html>").toString();
    }

    static String csrfField(String token) {
        return "<input type='hidden' name='csrf' value='" + esc(token) + "'>";
    }

    static String login(String csrf, String next, String error) {
        return layout("Sign in", null, csrf, "<main class='login'><h1>Sign in</h1>"
                + (error == null ? "" : "<p class='error' role='alert'>" + esc(error) + "</p>")
                + "<form method='post' action='/login'>" + csrfField(csrf)
                + "<input type='hidden' name='next' value='" + esc(next) + "'>"
                + "<label>Reviewer id <input name='username' id='username' autocomplete='username' required"
                + " autofocus></label><label>Password <input type='password' name='password' id='password'"
                + " autocomplete='current-password' required></label>"
                + "<button type='submit' id='sign-in'>Sign in</button></form></main>");
    }

    static String queue(String reviewer, String csrf, List<QueueItem> items, int total, Filters f,
            Map<String, Claim> claims, Map<String, Integer> opinions, Set<String> modelVersions, long now,
            String notice) {
        StringBuilder s = new StringBuilder("<main class='queue'><h1>Review queue <small id='queue-count'>")
                .append(items.size()).append(" of ").append(total).append(" waiting</small></h1>");
        if (notice != null) {
            s.append("<p class='notice' role='status'>").append(esc(notice)).append("</p>");
        }
        // A GET form changes nothing and must not carry the CSRF token (it would land in URLs and logs).
        s.append("<form method='get' action='/' class='filters'>")
                .append("<label>Reason <select name='reason'><option value=''>any</option>");
        for (String r : REASONS) {
            s.append(option(r, r.toLowerCase(Locale.ROOT).replace('_', ' '), f.reason()));
        }
        s.append("</select></label><label>Predicted family/genus <input name='taxon' value='").append(esc(f.taxon()))
                .append("' placeholder='e.g. Nymphalidae'></label><label>Model <select name='model'>"
                        + "<option value=''>any</option>");
        for (String v : modelVersions) {
            s.append(option(v, v, f.model()));
        }
        s.append("</select></label><label>Age <select name='age'>");
        Filters.AGES.forEach((k, label) -> s.append(option(k, label, f.age())));
        s.append("</select></label><button type='submit'>Filter</button>")
                .append("<a class='button primary' id='start' href='/next").append(q(f.query()))
                .append("'>Start reviewing</a></form>");
        if (items.isEmpty()) {
            return layout("Queue", reviewer, csrf, s.append("<p id='queue-empty'>Nothing waiting"
                    + (f.query().isEmpty() ? "" : " for these filters") + ".</p></main>").toString());
        }
        s.append("<table id='queue-table'><thead><tr><th>Sighting</th><th>Waiting</th><th>Reasons</th>"
                + "<th>Model says</th><th>p</th><th>Overlap</th><th>Model</th><th>Claim</th></tr></thead><tbody>");
        for (QueueItem i : items) {
            Claim c = claims.get(i.sightingId());
            s.append("<tr data-id='").append(esc(i.sightingId())).append("'><td><a class='open' href='")
                    .append(sightingPath(i.sightingId(), null)).append(q(f.query())).append("'>")
                    .append(esc(i.sightingId()))
                    .append("</a></td><td>").append(age(now - i.routedAt())).append("</td><td>");
            i.reasons().forEach(r -> s.append("<span class='badge'>").append(esc(r)).append("</span> "));
            if (opinions.containsKey(i.sightingId())) {
                s.append("<span class='badge second' title='a verdict waits for a second reviewer to agree'>"
                        + "SECOND_OPINION</span> ");
            }
            if (blind(i)) {
                s.append("</td><td class='blind'><small>hidden (audit)</small></td><td>–");
            } else {
                s.append("</td><td>").append(esc(i.decidedTaxon())).append(" <small>").append(esc(i.decidedRank()))
                        .append("</small></td><td>").append(String.format(Locale.ROOT, "%.2f", i.confidence()));
            }
            s.append("</td><td>").append(overlap(i.overlap())).append("</td><td>")
                    .append(esc(i.modelVersion())).append("</td><td>")
                    .append(c == null ? "" : "🔒 " + esc(c.reviewerId()) + " <small>until "
                            + TIME.format(c.expiresAt()) + "</small>").append("</td></tr>");
        }
        return layout("Queue", reviewer, csrf, s.append("</tbody></table></main>").toString());
    }

    /** Everything an expert needs about one sighting; also served alone as the fragment the next-item loader swaps in. */
    static String sighting(String reviewer, String csrf, ReviewRequest r, QueueItem item, Photos.Picture photo,
            boolean hasOverlay, boolean hasMask, Claim claim, Filters f, long now, TaxonomyIndex taxonomy,
            String consensus) {
        String id = item.sightingId();
        boolean mine = claim == null || claim.reviewerId().equals(reviewer);
        StringBuilder s = new StringBuilder("<main id='sighting' data-id='").append(esc(id))
                .append("' data-filters='").append(esc(f.query())).append("'><div id='flash' role='status'></div>")
                .append("<header><h1>Sighting <code id='sighting-id'>").append(esc(id)).append("</code></h1><p>")
                .append("<span id='observed'>observed ").append(DAY_TIME.format(r.getObservedAt()))
                .append(place(r.getLocation())).append(" by ").append(esc(r.getObserverId()))
                .append("</span> · waiting ")
                .append(age(now - item.routedAt())).append(" · model <code>").append(esc(item.modelVersion()))
                .append("</code> · ");
        item.reasons().forEach(x -> s.append("<span class='badge'>").append(esc(x)).append("</span> "));
        s.append(" · overlap ").append(overlap(item.overlap())).append("</p>");
        if (!mine) {
            s.append("<p class='error' id='claimed'>Claimed by ").append(esc(claim.reviewerId()))
                    .append(" until ").append(TIME.format(claim.expiresAt())).append(" (in ")
                    .append(age(claim.expiresAt().toEpochMilli() - now)).append("): you can look, not label.</p>");
        }
        s.append("</header><div class='columns'><section class='pictures'><div class='stack'>");
        String base = sightingPath(id, null);
        // Click (or z) opens the photo at full resolution over the page.
        if (photo.ok() || r.getImageUri() == null) {
            s.append("<img id='photo' alt='sighting photo' title='click to zoom (z)' src='").append(base)
                    .append("/photo'>");
        } else {
            // A photo kept elsewhere is loaded by the expert's browser, never fetched by the console.
            s.append("<img id='photo' alt='sighting photo' title='click to zoom (z)' src='")
                    .append(esc(r.getImageUri())).append("' data-fallback='").append(base).append("/photo'>");
        }
        if (hasOverlay) {
            s.append("<img id='heatmap' class='overlay' hidden alt='attention heatmap' src='").append(base)
                    .append("/attention'>");
        }
        if (hasMask) {
            s.append("<img id='mask' class='overlay mask' hidden alt='segmentation mask' src='").append(base)
                    .append("/mask'>");
        }
        s.append("</div>");
        if (!photo.ok() && r.getImageUri() == null) {
            s.append("<p class='error' id='photo-problem'>Photo unavailable: ").append(esc(photo.problem()))
                    .append(". You can still label it unidentifiable.</p>");
        }
        s.append("<div class='toggles'><label><input type='checkbox' id='toggle-heatmap'")
                .append(hasOverlay ? "" : " disabled").append("> Attention heatmap <kbd>h</kbd></label>")
                .append("<label><input type='checkbox' id='toggle-mask'").append(hasMask ? "" : " disabled")
                .append("> Mask <kbd>m</kbd></label><span class='zoom-hint'>click the photo to zoom <kbd>z</kbd>"
                        + "</span></div><div id='zoom' hidden role='dialog' aria-label='photo at full resolution'>"
                        + "<img id='zoom-photo' alt='sighting photo at full resolution'></div></section>");

        s.append("<section class='decide'><form id='label-form' method='post' action='").append(base)
                .append("/label").append(q(f.query())).append("'>").append(csrfField(csrf));
        if (consensus != null) {
            s.append("<p id='consensus-note' class='audit'>").append(esc(consensus)).append("</p>");
        }
        if (blind(item)) {
            // An audit measures the model: an expert shown its answer tends to agree with it.
            s.append("<p id='audit-note' class='audit'>Audit: the model's answer is hidden until you decide. Name"
                    + " what you see with the search below.</p>");
        } else {
            modelAnswer(s, r, item, mine, taxonomy);
        }
        s.append("<div class='search'><label>Any taxon, any rank <kbd>/</kbd> <input id='taxon-search'"
                + " autocomplete='off' placeholder='type a family, genus or species'></label>"
                + "<div id='taxon-results'></div></div>"
                + "<label>Note <textarea name='note' id='note' rows='2' maxlength='2000'></textarea></label>"
                + "<div class='verdicts'><button type='submit' id='unidentifiable' name='choice' value='unidentifiable'")
                .append(mine ? "" : " disabled").append(">Unidentifiable <kbd>u</kbd></button>")
                .append("<button type='submit' id='not-a-butterfly' name='choice' value='not-a-butterfly'")
                .append(mine ? "" : " disabled").append(">Not a butterfly <kbd>n</kbd></button>")
                .append("<button type='submit' id='skip' formaction='").append(base).append("/skip")
                .append(q(f.query())).append("' name='choice' value='skip'>Skip <kbd>s</kbd></button></div>")
                .append("</form><p class='help'>Keys: <kbd>c</kbd> confirm · <kbd>1</kbd>–<kbd>9</kbd> species picks ·"
                        + " <kbd>/</kbd> search · <kbd>u</kbd> unidentifiable · <kbd>n</kbd> not a butterfly ·"
                        + " <kbd>s</kbd> skip · <kbd>h</kbd>/<kbd>m</kbd> heatmap/mask</p></section></div></main>");
        return s.toString();
    }

    static String empty(Filters f) {
        return "<main id='sighting' data-id=''><div id='flash' role='status'></div><h1>All done</h1>"
                + "<p id='queue-empty'>Nothing left to review" + (f.query().isEmpty() ? "" : " for these filters")
                + ". <a href='/" + q(f.query()) + "'>Back to the queue</a></p></main>";
    }

    /** NaN when the service's cascade accepted the sighting without segmenting it (an audit of such a one). */
    private static String overlap(double value) {
        return Double.isNaN(value) ? "not measured" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static boolean blind(QueueItem item) {
        return item.reasons().contains(LivePrecision.AUDIT);
    }

    /** The confirm button and the model's top candidates per rank, each a one-click label. */
    private static void modelAnswer(StringBuilder s, ReviewRequest r, QueueItem item, boolean mine,
            TaxonomyIndex taxonomy) {
        s.append("<button type='submit' class='primary' id='confirm' name='choice' value='confirm|")
                .append(esc(item.decidedTaxon())).append('|').append(esc(item.decidedRank())).append("'")
                .append(mine ? "" : " disabled").append(">Confirm <b>").append(esc(item.decidedTaxon()))
                .append("</b>").append(common(taxonomy, item.decidedTaxon())).append(" (")
                .append(esc(item.decidedRank())).append(") <kbd>c</kbd></button>");
        int pick = 1;
        for (RankPrediction p : r.getIdentification().getPredictions()) {
            s.append("<table class='topk' data-rank='").append(esc(p.getRank())).append("'><caption>")
                    .append(esc(p.getRank())).append("</caption>");
            for (TaxonScore t : p.getCandidates()) {
                boolean leaf = p == last(r.getIdentification().getPredictions());
                String key = leaf && pick <= 9 ? String.valueOf(pick++) : null;
                s.append("<tr><td><button type='submit' class='pick' name='choice' value='label|")
                        .append(esc(t.getTaxon())).append('|').append(esc(p.getRank())).append("'")
                        .append(key == null ? "" : " data-key='" + key + "'").append(mine ? "" : " disabled")
                        .append(">").append(esc(t.getTaxon())).append(common(taxonomy, t.getTaxon()))
                        .append(key == null ? "" : " <kbd>" + key + "</kbd>")
                        .append("</button></td><td class='p'><span class='bar' style='width:")
                        .append(Math.round(100 * Math.max(0, Math.min(1, t.getProbability())))).append("%'></span>")
                        .append("<span class='num'>").append(String.format(Locale.ROOT, "%.1f%%", 100 * t.getProbability()))
                        .append("</span></td></tr>");
            }
            s.append("</table>");
        }
    }

    static String dashboard(String reviewer, String csrf, Dashboard d) {
        StringBuilder live = new StringBuilder("<section><h2>Live accepted precision (audits)</h2>"
                + "<table id='live-precision'><tr><th>model</th><th>rank</th><th>right</th><th>precision</th>"
                + "<th>95% interval</th></tr>");
        d.livePrecision().forEach(row -> {
            double[] ci = row.interval();
            live.append("<tr><td><code>").append(esc(row.version())).append("</code></td><th>")
                    .append(esc(row.rank())).append("</th><td>").append(row.correct()).append(" / ")
                    .append(row.audited()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * row.precision())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f–%.1f%%", 100 * ci[0], 100 * ci[1])).append("</td></tr>");
        });
        live.append("</table>").append(d.livePrecision().isEmpty() ? "<p id='no-audits'>No audit labelled yet: the"
                + " service sends a share of accepted identifications (lepistream.audit.share) here blind.</p>" : "")
                .append("</section>");
        StringBuilder s = new StringBuilder("<main class='dashboard'><h1>Dashboard</h1><div class='cards'>")
                .append("<section><h2>Queue by reason</h2><table id='by-reason'><tr><th>all</th><td>")
                .append(d.queued()).append("</td></tr>");
        d.queueByReason().forEach((r, n) -> s.append("<tr><th>").append(esc(r)).append("</th><td>").append(n)
                .append("</td></tr>"));
        s.append("</table></section><section><h2>Expert–model agreement</h2><table id='agreement'>"
                + "<tr><th>rank</th><th>agreed</th><th>rate</th></tr>");
        d.agreementByRank().forEach((rank, a) -> s.append("<tr><th>").append(esc(rank)).append("</th><td>")
                .append(a.agreed()).append(" / ").append(a.compared()).append("</td><td>")
                .append(a.compared() == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * a.rate()))
                .append("</td></tr>"));
        s.append("</table><p>Verdicts: ");
        d.verdicts().forEach((v, n) -> s.append(esc(v)).append(' ').append(n).append(" · "));
        s.append("</p></section><section><h2>Model versions</h2><table id='models'><tr><th>version</th>"
                + "<th>to review</th><th>accepted</th><th>last seen</th></tr>");
        d.models().forEach(m -> s.append("<tr><td><code>").append(esc(m.version())).append("</code></td><td>")
                .append(m.review()).append("</td><td>").append(m.accepted()).append("</td><td>")
                .append(DAY_TIME.format(m.lastSeen())).append("</td></tr>"));
        // Full width below the cards: a fourth card squeezed the model table into scrolling at 1280 px.
        s.append("</table></section></div>").append(live).append("<section><h2>Labels per reviewer per day</h2>");
        Set<String> reviewers = new TreeSet<>();
        d.labelsPerDay().values().forEach(m -> reviewers.addAll(m.keySet()));
        s.append("<table id='per-day'><tr><th>day (UTC)</th>");
        reviewers.forEach(r -> s.append("<th>").append(esc(r)).append("</th>"));
        s.append("</tr>");
        for (Map.Entry<LocalDate, Map<String, Integer>> day : d.labelsPerDay().entrySet()) {
            s.append("<tr><th>").append(day.getKey()).append("</th>");
            reviewers.forEach(r -> s.append("<td>").append(day.getValue().getOrDefault(r, 0)).append("</td>"));
            s.append("</tr>");
        }
        s.append("</table></section><section><h2>Overlap: sent to review vs accepted</h2><figure id='overlap-plot'>")
                .append(OverlapPlot.svg(d.reviewOverlap(), d.acceptedOverlap()))
                .append("<figcaption>Share of each group per overlap bin (Over-CAM: share of the classifier's"
                        + " attention on the segmented butterfly).</figcaption></figure></section>");
        if (!d.problems().isEmpty()) {
            s.append("<section><h2>Records not taken in</h2><ul id='problems'>");
            d.problems().forEach((k, v) -> s.append("<li>").append(esc(k)).append(": ").append(v).append("</li>"));
            s.append("</ul></section>");
        }
        return layout("Dashboard", reviewer, csrf, s.append("</main>").toString());
    }

    static String error(String reviewer, String csrf, int status, String message) {
        return layout("Error " + status, reviewer, csrf, "<main><h1>" + status + "</h1><p class='error' id='error'>"
                + esc(message) + "</p><p><a href='/'>Back to the queue</a></p></main>");
    }

    private static <T> T last(List<T> list) {
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }

    private static String option(String value, String label, String selected) {
        return "<option value='" + esc(value) + "'" + (value.equals(selected) ? " selected" : "") + ">" + esc(label)
                + "</option>";
    }

    private static String q(String query) {
        return query.isEmpty() ? "" : "?" + query;
    }

    static String age(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toMinutes() < 1) {
            return d.toSeconds() + " s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h";
        }
        return d.toDays() + " d";
    }

    static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** A wait for people: "45 s", "3 min", "2 min 30 s". */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }

    /** " · Painted Lady" for a taxon with a common name, "" otherwise. */
    private static String common(TaxonomyIndex taxonomy, String taxon) {
        return taxonomy.commonName(taxon).map(c -> " <small class='common'>" + esc(c) + "</small>").orElse("");
    }

    /** " at 53.8008° N, 1.5491° W" when the observer shared where. */
    static String place(GeoPoint p) {
        if (p == null) {
            return "";
        }
        return String.format(Locale.ROOT, " at <span id='place'>%.4f° %s, %.4f° %s</span>", Math.abs(p.getLat()),
                p.getLat() < 0 ? "S" : "N", Math.abs(p.getLon()), p.getLon() < 0 ? "W" : "E");
    }
}
