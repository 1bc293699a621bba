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
 * What the batching buffer keeps for a sighting whose result is not produced yet: enough to redo it from scratch
 * after a crash (origin and the exact wire bytes). Decoded pixels are not stored: they are large, and re-decoding
 * the few buffered records after a restart is cheap.
 */
public record PendingSighting(Origin origin, byte[] raw) {

    private static final byte FORMAT = 1;

    /** Compact binary form for the changelogged store (format byte first, so the layout can evolve). */
    public static Serde<PendingSighting> serde() {
        Serializer<PendingSighting> ser = (topic, p) -> p == null ? null : write(p);
        Deserializer<PendingSighting> de = (topic, bytes) -> bytes == null ? null : read(bytes);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }

    static byte[] write(PendingSighting p) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(p.raw().length + 64);
            DataOutputStream out = new DataOutputStream(buf);
            out.writeByte(FORMAT);
            out.writeUTF(p.origin().topic());
            out.writeInt(p.origin().partition());
            out.writeLong(p.origin().offset());
            out.writeLong(p.origin().timestamp());
            out.writeBoolean(p.origin().key() != null);
            if (p.origin().key() != null) {
                out.writeUTF(p.origin().key());
            }
            out.writeInt(p.raw().length);
            out.write(p.raw());
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PendingSighting read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new SerializationException("batching buffer entry has format " + format + ", expected " + FORMAT);
            }
            String topic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            String key = in.readBoolean() ? in.readUTF() : null;
            byte[] raw = new byte[in.readInt()];
            in.readFully(raw);
            return new PendingSighting(new Origin(topic, partition, offset, timestamp, key), raw);
        } catch (IOException e) {
            throw new SerializationException("corrupt batching buffer entry: " + e.getMessage(), e);
        }
    }
}
