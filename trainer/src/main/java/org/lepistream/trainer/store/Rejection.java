package org.lepistream.trainer.store;

/**
 * A label the trainer could not turn into an example, kept (never silently dropped) with its reason.
 *
 * @param reason machine-readable code: UNKNOWN_TAXON, NO_SIGHTING, NO_IMAGE, URI_NOT_ALLOWED, URI_UNREACHABLE,
 *     UNDECODABLE, NO_TAXON, RANK_MISMATCH
 */
public record Rejection(String sightingId, String reason, String detail, String source, long rejectedAt) {
}
