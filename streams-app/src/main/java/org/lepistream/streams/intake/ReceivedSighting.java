package org.lepistream.streams.intake;

import org.lepistream.schemas.Sighting;

/**
 * A sighting as read from the topic together with its exact wire bytes, so that a dead letter can carry the
 * original value verbatim (re-serializing could pick another schema id) and a restart can rebuild it.
 *
 * @param sighting deserialized value; null for a tombstone
 * @param raw the record value exactly as consumed; null for a tombstone
 */
public record ReceivedSighting(Sighting sighting, byte[] raw) {}
