package org.walrusjava.rollout;

import java.util.Arrays;
import org.walrusjava.numerics.Fft;

/**
 * The Well's binned spectral error (the-well.md §1.5, `binned_spectral_mse`) on one grid. Isotropic wavenumber
 * |k| with k_i = 2 pi fftfreq(n_i) on each spatial axis; three bins between four log-spaced edges from 2 pi / max(n)
 * to pi sqrt(ndims) + 1e-6, the first edge moved to 0, each bin half-open [lower, upper). Per bin,
 * mse = sum over the bin of |FFT(pred - truth)|^2 / (prod n)^2, which by Plancherel adds up over the bins to the
 * MSE of the cells they cover (every cell, since |k| never exceeds pi sqrt(ndims)); nmse divides by the same sum
 * for the truth plus 1e-7.
 *
 * <p>The edges and the wavenumbers are computed in float32, step by step as The Well's default (torch's default
 * dtype) does. It matters where an inner edge equals the length of an integer wavevector in exact arithmetic: on
 * 32 x 32 grids the edges are |(2, 2)| and |(8, 0)| times 2 pi / 32, on 256 x 256 |(4, 4)| and |(32, 0)| times
 * 2 pi / 256, and only float32 rounding, not the 1e-6, decides which bin those wavenumbers fall in. Binned in
 * float64 instead, such grids differ from The Well's published figures by up to a third in the low and mid bins.
 * The power sums themselves stay in float64.
 *
 * <p>Axes of length 1 are not spatial dimensions: Walrus carries 2-D data as H x W x 1, and counting that axis
 * would move the top edge from pi sqrt(2) to pi sqrt(3).
 */
public final class Spectral {
    public static final int BINS = 3;
    static final double NMSE_EPS = 1e-7;

    private final int[] shape;
    private final int cells;
    private final double[] edges;
    private final int[] binOfCell;

    /** Spectral error over the same bins for pred and truth. */
    public record BinnedError(double[] mse, double[] nmse) {}

    public Spectral(int[] shape) {
        this.shape = shape.clone();
        int total = 1;
        for (int n : shape) {
            if (n < 1) throw new IllegalArgumentException("grid axes must be positive, got " + Arrays.toString(shape));
            total *= n;
        }
        this.cells = total;
        this.edges = binEdges(shape);
        this.binOfCell = assignBins(shape, edges);
    }

    /**
     * The four edges of the three bins (first edge 0) as torch.logspace(start, end, 4) makes them in float32:
     * start and end rounded to float32, the exponents stepped in float64 from whichever end is nearer, each power
     * rounded to float32.
     */
    public static double[] binEdges(int[] shape) {
        int maxN = 1;
        for (int n : shape) maxN = Math.max(maxN, n);
        float start = (float) Math.log10(2 * Math.PI / maxN);
        float end = (float) Math.log10(Math.PI * Math.sqrt(spatialDims(shape)) + 1e-6);
        double step = (double) (end - start) / BINS;
        double[] e = new double[BINS + 1];
        for (int i = 0; i <= BINS; i++) {
            double exponent = i < (BINS + 1) / 2 ? start + step * i : end - step * (BINS - i);
            e[i] = (float) Math.pow(10, exponent);
        }
        e[0] = 0;
        return e;
    }

    /** Number of axes longer than one. */
    public static int spatialDims(int[] shape) {
        int d = 0;
        for (int n : shape) if (n > 1) d++;
        return Math.max(d, 1);
    }

    /**
     * 2 pi fftfreq(n)[j] in float32 as torch computes it: the signed index times float32(1 / n), then times
     * float32(2 pi).
     */
    public static float wavenumber(int j, int n) {
        int positive = (n - 1) / 2 + 1;
        float frequency = (j < positive ? j : j - n) * (float) (1.0 / n);
        return frequency * (float) (2 * Math.PI);
    }

    /** The bin of each cell of the transform (row-major), or -1 where |k| is past the last edge. */
    public int[] binOfCell() {
        return binOfCell.clone();
    }

    public BinnedError binnedError(float[] pred, float[] truth) {
        if (pred.length != cells || truth.length != cells) {
            throw new IllegalArgumentException("spectral error on grid " + Arrays.toString(shape)
                    + " needs " + cells + " values, got " + pred.length + "/" + truth.length);
        }
        double[] errorRe = new double[cells];
        double[] truthRe = new double[cells];
        for (int i = 0; i < cells; i++) {
            errorRe[i] = (double) pred[i] - truth[i];
            truthRe[i] = truth[i];
        }
        double[] errorPower = powerPerBin(errorRe);
        double[] truthPower = powerPerBin(truthRe);
        double norm = (double) cells * cells;
        double[] mse = new double[BINS];
        double[] nmse = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            mse[b] = errorPower[b] / norm;
            nmse[b] = mse[b] / (truthPower[b] / norm + NMSE_EPS);
        }
        return new BinnedError(mse, nmse);
    }

    /** Sum of |FFT(x)|^2 in each bin; x is overwritten. */
    private double[] powerPerBin(double[] re) {
        double[] im = new double[cells];
        Fft.forwardNd(re, im, shape);
        double[] sums = new double[BINS];
        for (int i = 0; i < cells; i++) {
            int b = binOfCell[i];
            if (b >= 0) sums[b] += re[i] * re[i] + im[i] * im[i];
        }
        return sums;
    }

    private static int[] assignBins(int[] shape, double[] edges) {
        int total = 1;
        for (int n : shape) total *= n;
        int[] bins = new int[total];
        int[] index = new int[shape.length];
        for (int cell = 0; cell < total; cell++) {
            float k2 = 0;
            for (int a = 0; a < shape.length; a++) {
                float k = wavenumber(index[a], shape[a]);
                k2 += k * k;
            }
            bins[cell] = binOf((float) Math.sqrt(k2), edges);
            for (int a = shape.length - 1; a >= 0; a--) {
                if (++index[a] < shape[a]) break;
                index[a] = 0;
            }
        }
        return bins;
    }

    private static int binOf(float k, double[] edges) {
        for (int b = 0; b < BINS; b++) if (k >= edges[b] && k < edges[b + 1]) return b;
        return -1;
    }
}
