package org.lepistream.vision.segmentation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/**
 * The U-Net "up-convolution": doubles the resolution and sets the channel count of the level below.
 *
 * <p>Nearest-neighbour 2× upsampling then a 3×3 convolution, rather than a transposed convolution: DJL's PyTorch
 * engine does not implement Conv2dTranspose, and upsample-then-convolve also avoids checkerboard artefacts.
 */
final class UpConv {
    private UpConv() {
    }

    static SequentialBlock of(int width) {
        return new SequentialBlock()
                .add((NDList x) -> new NDList(x.head().repeat(2, 2).repeat(3, 2)))
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .setFilters(width)
                        .optBias(false)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
