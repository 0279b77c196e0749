package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectralGrid2dTest {
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
