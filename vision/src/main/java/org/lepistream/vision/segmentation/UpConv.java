package org.lepistream.vision.segmentation;

import ai.djl.ndarray.NDList;
import ai.djl.nn.SequentialBlock;

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
        SequentialBlock unit = new SequentialBlock()
                .add((NDList x) -> new NDList(x.head().repeat(2, 2).repeat(3, 2)));
        return DoubleConv.addConvBnRelu(unit, width);
    }
}
