package org.lepistream.streams.routing;

import org.lepistream.decision.routing.SightingShare;

/**
 * Which accepted identifications an expert checks anyway, so that the precision of what the model accepts is measured
 * live and not only on validation photos. The choice is a {@link SightingShare}: the same sighting is chosen on every
 * instance and after every restart, and it is independent of the decided taxon, so every taxon is audited at the same
 * expected share (a stratified sample by construction, rare taxa included).
 */
public final class Audit {

    public static final Audit NONE = new Audit(0);

    private final SightingShare chosen;

    /** @param share of accepted identifications sent to review as AUDIT, in [0, 1] */
    public Audit(double share) {
        this.chosen = new SightingShare(share);
    }

    public double share() {
        return chosen.share();
    }

    public boolean selects(String sightingId) {
        return chosen.contains(sightingId);
    }
}
