package org.lepistream.streams.intake;

/** A sighting that passed intake: its origin, its exact wire bytes and its decoded photo. */
public record AdmittedSighting(Origin origin, byte[] raw, Admission.Admitted admitted) {}
