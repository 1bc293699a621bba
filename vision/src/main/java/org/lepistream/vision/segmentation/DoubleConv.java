package org.lepistream.vision.segmentation;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** The U-Net level unit: two 3×3 convolutions, each followed by batch norm and ReLU, keeping the resolution. */
final class DoubleConv {
    private DoubleConv() {
    }

    static SequentialBlock of(int width) {
        SequentialBlock unit = new SequentialBlock();
        for (int i = 0; i < 2; i++) {
            addConvBnRelu(unit, width);
        }
        return unit;
    }

    /**
     * Appends a resolution-keeping 3×3 convolution (no bias: batch norm follows), batch norm and ReLU to
     * {@code unit}. Added in place rather than as a nested block, so parameter names in saved bundles stay put.
     */
    static SequentialBlock addConvBnRelu(SequentialBlock unit, int width) {
        return unit.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .setFilters(width)
                        .optBias(false)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
