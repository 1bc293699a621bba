package org.lepistream.streams.batching;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.lepistream.streams.intake.Origin;

/**
 * What the batching buffer keeps for a sighting whose result is not produced yet: where it came from, which is
 * enough to redo it after a crash, since its record is still in {@code sightings} and {@link SourceRecords} reads it
 * back by offset. Its bytes are not stored (they would write every photo to the broker a second time), nor are
 * decoded pixels. Entries of format 1, written before, carry the raw record as well, and are still read.
 *
 * @param raw the sighting's wire bytes, only in format-1 entries; null for a reference
 */
public record PendingSighting(Origin origin, byte[] raw) {

    private static final byte WITH_BYTES = 1;
    private static final byte REFERENCE = 2;

    /** A buffer entry that refers to the source record. */
    public static PendingSighting reference(Origin origin) {
        return new PendingSighting(origin, null);
    }

    /** Compact binary form for the changelogged store (format byte first, so the layout can evolve). */
    public static Serde<PendingSighting> serde() {
        Serializer<PendingSighting> ser = (topic, p) -> p == null ? null : write(p);
        Deserializer<PendingSighting> de = (topic, bytes) -> bytes == null ? null : read(bytes);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }

    static byte[] write(PendingSighting p) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + (p.raw() == null ? 0 : p.raw().length));
            DataOutputStream out = new DataOutputStream(buf);
            out.writeByte(p.raw() == null ? REFERENCE : WITH_BYTES);
            out.writeUTF(p.origin().topic());
            out.writeInt(p.origin().partition());
            out.writeLong(p.origin().offset());
            out.writeLong(p.origin().timestamp());
            out.writeBoolean(p.origin().key() != null);
            if (p.origin().key() != null) {
                out.writeUTF(p.origin().key());
            }
            if (p.raw() != null) {
                out.writeInt(p.raw().length);
                out.write(p.raw());
            }
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PendingSighting read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != WITH_BYTES && format != REFERENCE) {
                throw new SerializationException("batching buffer entry has format " + format + ", expected "
                        + WITH_BYTES + " or " + REFERENCE);
            }
            String topic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            String key = in.readBoolean() ? in.readUTF() : null;
            byte[] raw = null;
            if (format == WITH_BYTES) {
                raw = new byte[in.readInt()];
                in.readFully(raw);
            }
            return new PendingSighting(new Origin(topic, partition, offset, timestamp, key), raw);
        } catch (IOException e) {
            throw new SerializationException("corrupt batching buffer entry: " + e.getMessage(), e);
        }
    }
}
