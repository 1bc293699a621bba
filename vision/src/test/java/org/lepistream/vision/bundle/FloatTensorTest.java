package org.lepistream.vision.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloatTensorTest {

    /** Two items of 1×2×3: item i's value at (y, x) is 100·i + 10·y + x. */
    private static final FloatTensor T = new FloatTensor(
            new float[] {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112}, new long[] {2, 1, 2, 3});

    @Test
    void mirroringReversesTheLastAxisAsAnArrayFlipDoes() {
        assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110}, T.mirrored().data());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray flipped = T.on(m).flip(3);
            assertArrayEquals(flipped.toFloatArray(), T.mirrored().data());
        }
    }

    @Test
    void rowsPicksItemsInTheGivenOrderAndKeepsTheWholeBatchAsItIs() {
        FloatTensor second = T.rows(List.of(1));
        assertArrayEquals(new long[] {1, 1, 2, 3}, second.shape());
        assertArrayEquals(T.item(1), second.data());
        assertArrayEquals(new float[] {100, 101, 102, 110, 111, 112, 0, 1, 2, 10, 11, 12},
                T.rows(List.of(1, 0)).data());
        assertSame(T, T.rows(List.of(0, 1)));
    }

    @Test
    void stackingAndAveragingAndConversionKeepValuesAndShape() {
        FloatTensor s = FloatTensor.stack(List.of(T.item(0), T.item(1)), 1, 2, 3);
        assertArrayEquals(T.data(), s.data());
        assertArrayEquals(T.shape(), s.shape());
        float[] twice = T.averagedWith(T.mirrored()).data();
        assertArrayEquals(new float[] {1, 1, 1, 11, 11, 11}, Arrays.copyOf(twice, 6));
        try (NDManager m = NDManager.newBaseManager()) {
            FloatTensor back = FloatTensor.of(m.create(T.data(), new Shape(T.shape())));
            assertArrayEquals(T.data(), back.data());
            assertArrayEquals(T.shape(), back.shape());
        }
        assertThrows(IllegalArgumentException.class, () -> new FloatTensor(new float[5], new long[] {2, 3}));
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.stack(List.of(new float[2], new float[3]), 2));
        assertThrows(IllegalArgumentException.class, () -> T.averagedWith(T.rows(List.of(0))));
    }
}
