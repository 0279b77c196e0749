package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpectralTest {
    /** A 64 x 64 field: a smooth background plus a sine of m periods along the first axis. */
    private static float[][] truthAndSinePerturbed(int m, double amplitude) {
        float[] truth = new float[64 * 64];
        float[] pred = new float[64 * 64];
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 64; y++) {
                int i = x * 64 + y;
                truth[i] = (float) (2 + Math.cos(2 * Math.PI * y / 64));
                pred[i] = (float) (truth[i] + amplitude * Math.sin(2 * Math.PI * m * x / 64));
            }
        }
        return new float[][] {pred, truth};
    }

    @Test
    void binEdgesAreLogSpacedFromTheLowestWavenumberToTheCorner() {
        double low = 2 * Math.PI / 64;
        double high = Math.PI * Math.sqrt(2) + 1e-6;
        double[] edges = Spectral.binEdges(new int[] {64, 64});
        assertEquals(4, edges.length);
        assertEquals(0, edges[0]);
        assertEquals(Math.cbrt(low * low * high), edges[1], 1e-12);
        assertEquals(Math.cbrt(low * high * high), edges[2], 1e-12);
        assertEquals(high, edges[3], 1e-12);
        // Values worked out once by hand: 0.0982 * 3.5636 = 0.350, 1.247.
        assertEquals(0.3500, edges[1], 1e-3);
        assertEquals(1.2472, edges[2], 1e-3);
    }

    @Test
    void aSingletonAxisIsNotASpatialDimension() {
        assertArrayEquals(Spectral.binEdges(new int[] {64, 32}), Spectral.binEdges(new int[] {64, 32, 1}));
        assertEquals(Math.PI * Math.sqrt(3) + 1e-6, Spectral.binEdges(new int[] {8, 8, 8})[3], 1e-12);
    }

    @Test
    void wavenumbersFollowFftfreq() {
        // numpy.fft.fftfreq(5) = [0, .2, .4, -.4, -.2]; fftfreq(4) = [0, .25, -.5, -.25]
        double[] five = {0, .2, .4, -.4, -.2};
        for (int j = 0; j < 5; j++) assertEquals(2 * Math.PI * five[j], Spectral.wavenumber(j, 5), 1e-15);
        double[] four = {0, .25, -.5, -.25};
        for (int j = 0; j < 4; j++) assertEquals(2 * Math.PI * four[j], Spectral.wavenumber(j, 4), 1e-15);
    }

    @Test
    void aPureSineErrorLandsInItsBin() {
        // |k| = 2 pi m / 64 = 0.098 m: m <= 3 is below 0.350 (low), m <= 12 below 1.247 (mid), else high.
        int[][] modeAndBin = {{2, 0}, {3, 0}, {8, 1}, {12, 1}, {20, 2}, {31, 2}};
        Spectral spectral = new Spectral(new int[] {64, 64});
        for (int[] mb : modeAndBin) {
            float[][] pt = truthAndSinePerturbed(mb[0], 0.5);
            Spectral.BinnedError e = spectral.binnedError(pt[0], pt[1]);
            double mse = Metrics.mse(pt[0], pt[1]);
            assertEquals(0.125, mse, 1e-6, "a sine of amplitude 0.5 has mean square 0.125");
            for (int b = 0; b < 3; b++) {
                assertEquals(b == mb[1] ? mse : 0, e.mse()[b], 1e-9, "mode " + mb[0] + " bin " + b);
            }
        }
    }

    @Test
    void normalisedBinErrorDividesByTheTruthInTheSameBin() {
        // truth = sin(8 periods), prediction = half of it: error power 1/4 of the truth's, all in the mid bin.
        int n = 64;
        float[] truth = new float[n * n];
        float[] pred = new float[n * n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                truth[x * n + y] = (float) Math.sin(2 * Math.PI * 8 * x / n);
                pred[x * n + y] = 0.5f * truth[x * n + y];
            }
        }
        Spectral.BinnedError e = new Spectral(new int[] {n, n}).binnedError(pred, truth);
        assertEquals(0.125, e.mse()[1], 1e-7);
        assertEquals(0.125 / (0.5 + 1e-7), e.nmse()[1], 1e-7);
        assertEquals(0, e.nmse()[0], 1e-6);
    }

    @Test
    void binsAddUpToTheMseOnAnyGrid() {
        Random random = new Random(11);
        for (int[] shape : new int[][] {{16, 16}, {12, 20}, {8, 6, 10}, {32, 32, 1}, {9}}) {
            int cells = 1;
            for (int s : shape) cells *= s;
            float[] truth = new float[cells];
            float[] pred = new float[cells];
            for (int i = 0; i < cells; i++) {
                truth[i] = (float) random.nextGaussian();
                pred[i] = (float) (truth[i] + 0.3 * random.nextGaussian());
            }
            Spectral.BinnedError e = new Spectral(shape).binnedError(pred, truth);
            double sum = e.mse()[0] + e.mse()[1] + e.mse()[2];
            assertEquals(Metrics.mse(pred, truth), sum, 1e-12 * Math.max(1, sum), java.util.Arrays.toString(shape));
            for (int cell : new Spectral(shape).binOfCell()) assertEquals(true, cell >= 0, "every cell is covered");
        }
    }
}
