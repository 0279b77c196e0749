package org.walrusjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    @Test
    void curvesBandsAndLegendAreDrawn(@TempDir Path dir) throws Exception {
        int steps = 50;
        double[] flat = new double[steps];
        Arrays.fill(flat, 1e-2);
        double[] growing = new double[steps];
        double[] low = new double[steps];
        double[] high = new double[steps];
        for (int t = 0; t < steps; t++) {
            growing[t] = 1e-3 * Math.pow(1.1, t);
            low[t] = growing[t] / 2;
            high[t] = growing[t] * 2;
        }
        growing[20] = Double.NaN; // a gap, not a crash
        double[] baseline = new double[steps];
        Arrays.fill(baseline, 5e-2);
        LinePlot plot = new LinePlot("VRMSE per field", "VRMSE", List.of(LinePlot.Series.line("density", flat),
                LinePlot.Series.withBand("pressure", growing, low, high), LinePlot.Series.dashed("persistence", baseline)), 800, 480);
        Path file = dir.resolve("plot.png");
        PngFile.write(file, plot.render());
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(480, image.getHeight());
        // Count pixels close to each series colour: lines and the band's tint must be there.
        assertTrue(countNear(image, LinePlot.PALETTE[0]) > 300, "the density line");
        assertTrue(countNear(image, LinePlot.PALETTE[1]) > 300, "the pressure line");
        int c = LinePlot.PALETTE[1];
        int tint = blend(c, 0xFFFFFF, 60 / 255.0);
        assertTrue(countNear(image, tint) > 2000, "the shaded band");
    }

    @Test
    void xTicksAreRoundNumbers() {
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0), LinePlot.xTicks(1, 5));
        assertEquals(List.of(1.0, 20.0, 40.0, 60.0, 80.0, 100.0), LinePlot.xTicks(1, 100));
        assertEquals(List.of(1.0, 50.0, 100.0, 150.0, 200.0), LinePlot.xTicks(1, 200));
    }

    private static int blend(int rgb, int background, double alpha) {
        int out = 0;
        for (int shift : new int[] {16, 8, 0}) {
            double v = alpha * ((rgb >> shift) & 0xFF) + (1 - alpha) * ((background >> shift) & 0xFF);
            out |= (int) Math.round(v) << shift;
        }
        return out;
    }

    private static int countNear(BufferedImage image, int rgb) {
        int n = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int p = image.getRGB(x, y);
                int d = 0;
                for (int shift : new int[] {16, 8, 0}) d = Math.max(d, Math.abs(((p >> shift) & 0xFF) - ((rgb >> shift) & 0xFF)));
                if (d <= 6) n++;
            }
        }
        return n;
    }
}
