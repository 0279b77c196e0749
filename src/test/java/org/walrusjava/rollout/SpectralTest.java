package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
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
        // float32 edges, as The Well's torch.logspace makes them
        assertEquals(Math.cbrt(low * low * high), edges[1], 1e-6);
        assertEquals(Math.cbrt(low * high * high), edges[2], 1e-6);
        assertEquals(high, edges[3], 1e-6);
        for (double e : edges) assertEquals((float) e, e, 0.0, "each edge is a float32 value");
        // Values worked out once by hand: 0.0982 * 3.5636 = 0.350, 1.247.
        assertEquals(0.3500, edges[1], 1e-3);
        assertEquals(1.2472, edges[2], 1e-3);
    }

    @Test
    void aSingletonAxisIsNotASpatialDimension() {
        assertArrayEquals(Spectral.binEdges(new int[] {64, 32}), Spectral.binEdges(new int[] {64, 32, 1}));
        assertEquals(Math.PI * Math.sqrt(3) + 1e-6, Spectral.binEdges(new int[] {8, 8, 8})[3], 1e-6);
    }

    @Test
    void wavenumbersFollowFftfreq() {
        // numpy.fft.fftfreq(5) = [0, .2, .4, -.4, -.2]; fftfreq(4) = [0, .25, -.5, -.25]
        double[] five = {0, .2, .4, -.4, -.2};
        for (int j = 0; j < 5; j++) assertEquals(2 * Math.PI * five[j], Spectral.wavenumber(j, 5), 1e-6);
        double[] four = {0, .25, -.5, -.25};
        for (int j = 0; j < 4; j++) assertEquals(2 * Math.PI * four[j], Spectral.wavenumber(j, 4), 1e-6);
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

    /**
     * The bin of every cell as The Well's binned_spectral_mse assigns it by default, built from the same libtorch
     * calls in the same float32 dtype: |k| from 2 pi fftfreq per axis, edges from logspace with the first set to 0,
     * bucketize(right=True) - 1; 3 (past the last edge) means no bin.
     */
    private static int[] theWellsBins(int n) {
        Tensor k = torch.fft_fftfreq(n).mul(new Scalar(2 * Math.PI));
        Tensor k2 = torch.zeros(n, n).add(k.mul(k).reshape(n, 1)).add(k.mul(k).reshape(1, n));
        Tensor edges = torch.logspace(new Scalar(Math.log10(2 * Math.PI / n)),
                new Scalar(Math.log10(Math.PI * Math.sqrt(2) + 1e-6)), 4, 10.0,
                new TensorOptions(torch.ScalarType.Float));
        edges.narrow(0, 0, 1).fill_(new Scalar(0.0));
        Tensor index = torch.bucketize(k2.sqrt().flatten(), edges, false, true).sub(new Scalar(1));
        int[] bins = new int[n * n];
        for (int i = 0; i < bins.length; i++) {
            long b = index.select(0, i).item_long();
            bins[i] = b == 3 ? -1 : (int) b;
        }
        return bins;
    }

    @Test
    void binsAreTheWellsWhereAnEdgeMeetsAWavenumber() {
        // On these grids the inner edges equal |(2, 2)| and |(8, 0)| (32 points), |(4, 4)| and |(32, 0)| (256)
        // times 2 pi / n in exact arithmetic; float32 rounding decides, and The Well's sets the reference.
        int[][] gridAndModes = {{32, 2, 2, 8, 0, 1, 0, 5, 3}, {256, 4, 4, 32, 0, 1, 0, 90, 60}};
        for (int[] g : gridAndModes) {
            int n = g[0];
            int[] reference = theWellsBins(n);
            Spectral spectral = new Spectral(new int[] {n, n});
            assertArrayEquals(reference, spectral.binOfCell(), n + " x " + n + ": bin of every cell");
            // An error made of four cosines at known wavevectors: each puts a^2 / 2 of mean square into the bin
            // of its wavevector (both of +k and -k, which share |k|).
            double[] amplitude = {0.5, 0.3, 0.2, 0.1};
            float[] truth = new float[n * n];
            float[] pred = new float[n * n];
            double[] expected = new double[3];
            for (int c = 0; c < 4; c++) {
                int kx = g[1 + 2 * c], ky = g[2 + 2 * c];
                expected[reference[kx * n + ky]] += amplitude[c] * amplitude[c] / 2;
                for (int x = 0; x < n; x++)
                    for (int y = 0; y < n; y++)
                        pred[x * n + y] += (float) (amplitude[c] * Math.cos(2 * Math.PI * (kx * x + ky * y) / n));
            }
            Spectral.BinnedError e = spectral.binnedError(pred, truth);
            assertArrayEquals(expected, e.mse(), 1e-7, n + " x " + n + ": mse per bin");
        }
    }
}
