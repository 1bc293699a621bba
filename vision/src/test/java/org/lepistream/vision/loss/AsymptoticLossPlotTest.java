package org.lepistream.vision.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsymptoticLossPlotTest {

    private static int brightness(BufferedImage img, int x, int y) {
        Color c = new Color(img.getRGB(x, y));
        return c.getRed() + c.getGreen() + c.getBlue();
    }

    @Test
    void heatMapIsDarkWhereParentsAreCertainAndBrightWhereTheyAreWrong(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("plot.png");
        AsymptoticLossPlot.main(new String[] {out.toString()});
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(AsymptoticLossPlot.WIDTH, img.getWidth());
        assertEquals(AsymptoticLossPlot.HEIGHT, img.getHeight());
        int x0 = AsymptoticLossPlot.MAP_X;
        int y0 = AsymptoticLossPlot.MAP_Y;
        int side = AsymptoticLossPlot.MAP_SIDE;
        // top right: g = f = 1, A = 0; bottom left: g = f = 0, A = 1
        int certain = brightness(img, x0 + side - 4, y0 + 3);
        int wrong = brightness(img, x0 + 3, y0 + side - 4);
        assertTrue(certain < 200 && wrong > 450, "certain " + certain + ", wrong " + wrong);
    }
}
