package org.lepistream.streams.intake;

/**
 * A sighting that passed intake: its origin, its exact wire bytes and its admission, either {@link
 * Admission.Admitted} (inline photo, decoded) or {@link Admission.Fetch} (photo still to be fetched).
 */
public record AdmittedSighting(Origin origin, byte[] raw, Admission admission) {}
