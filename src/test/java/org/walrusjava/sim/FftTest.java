package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FftTest {
    @Test
    void matchesDirectSumForMixedRadixLengthsAndBatches() {
        for (int n : new int[] {1, 2, 3, 4, 6, 8, 12, 32, 48, 96, 384}) {
            int batch = 3;
            SplittableRandom rng = new SplittableRandom(n);
            double[] re = new double[n * batch], im = new double[n * batch];
            for (int i = 0; i < re.length; i++) {
                re[i] = rng.nextGaussian();
                im[i] = rng.nextGaussian();
            }
            double[] outRe = re.clone(), outIm = im.clone();
            new Fft(n).transform(outRe, outIm, 0, batch, false, new double[n * batch], new double[n * batch]);
            for (int b = 0; b < batch; b++)
                for (int k = 0; k < n; k++) {
                    double sr = 0, si = 0;
                    for (int x = 0; x < n; x++) {
                        double angle = -2 * Math.PI * ((long) x * k % n) / n;
                        sr += re[x * batch + b] * Math.cos(angle) - im[x * batch + b] * Math.sin(angle);
                        si += re[x * batch + b] * Math.sin(angle) + im[x * batch + b] * Math.cos(angle);
                    }
                    assertEquals(sr, outRe[k * batch + b], 1e-10 * n, "n=" + n + " k=" + k);
                    assertEquals(si, outIm[k * batch + b], 1e-10 * n, "n=" + n + " k=" + k);
                }
        }
    }

    @Test
    void realPairRoundTripOnNonSquareGrid() {
        SpectralGrid2d grid = new SpectralGrid2d(12, 32);
        SplittableRandom rng = new SplittableRandom(7);
        double[] f = new double[grid.size], g = new double[grid.size];
        for (int p = 0; p < grid.size; p++) {
            f[p] = rng.nextGaussian();
            g[p] = rng.nextGaussian();
        }
        double[] fr = new double[grid.size], fi = new double[grid.size], gr = new double[grid.size],
                gi = new double[grid.size];
        grid.forwardPair(f, g, fr, fi, gr, gi);
        // the spectrum of f alone, computed as a complex transform
        double[] sr = f.clone(), si = new double[grid.size];
        grid.forward(sr, si);
        for (int p = 0; p < grid.size; p++) {
            assertEquals(sr[p], fr[p], 1e-11);
            assertEquals(si[p], fi[p], 1e-11);
        }
        double[] f2 = new double[grid.size], g2 = new double[grid.size];
        grid.inversePair(fr, fi, gr, gi, f2, g2);
        for (int p = 0; p < grid.size; p++) {
            assertEquals(f[p], f2[p], 1e-13);
            assertEquals(g[p], g2[p], 1e-13);
        }
    }
}
