package org.lepistream.vision.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A block's parameters (including batch-norm running statistics) held in memory, so the best epoch can be restored
 * without touching the disk: the networks here are a few MB.
 */
public final class Checkpoint {
    private final byte[] bytes;

    private Checkpoint(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Snapshots the block's current parameters. */
    public static Checkpoint of(Block block) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                block.saveParameters(out);
            }
            return new Checkpoint(buffer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not snapshot parameters", e);
        }
    }

    /** Puts the snapshot back into a block of the same structure. */
    public void restore(Block block, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("could not restore parameters from the checkpoint", e);
        }
    }

    /** Whether both snapshots hold the same parameters, bit for bit. */
    public boolean sameAs(Checkpoint other) {
        return Arrays.equals(bytes, other.bytes);
    }

    /** Size of the snapshot in bytes. */
    public int size() {
        return bytes.length;
    }
}
