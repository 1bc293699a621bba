package org.lepistream.schemas.serde;

import org.apache.avro.Schema;

/** One registered version of a subject: its global schema id, its version number within the subject, and the schema. */
public record SchemaVersion(String subject, int id, int version, Schema schema) {
}
