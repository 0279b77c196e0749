package org.walrusjava.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FftTest {
    /** X_k = sum_j x_j exp(-2 pi i jk/n), straight from the definition. */
    private static double[][] directDft(double[] re, double[] im) {
        int n = re.length;
        double[][] out = new double[2][n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double a = -2 * Math.PI * ((long) j * k % n) / n;
                out[0][k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                out[1][k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
            }
        }
        return out;
    }

    @Test
    void matchesTheDefinitionForPowersOfTwoAndOtherLengths() {
        Random random = new Random(7);
        for (int n : new int[] {1, 2, 3, 4, 5, 8, 12, 16, 17, 30, 64, 100}) {
            double[] re = random.doubles(n, -1, 1).toArray();
            double[] im = random.doubles(n, -1, 1).toArray();
            double[][] expected = directDft(re, im);
            new Fft(n).forward(re, im);
            for (int k = 0; k < n; k++) {
                assertEquals(expected[0][k], re[k], 1e-10, "re n=" + n + " k=" + k);
                assertEquals(expected[1][k], im[k], 1e-10, "im n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void nDimensionalTransformIsSeparableOverRowMajorAxes() {
        int[] shape = {4, 3, 5};
        int total = 60;
        Random random = new Random(3);
        double[] re = random.doubles(total, -1, 1).toArray();
        double[] im = new double[total];
        double[] x = re.clone();
        Fft.forwardNd(re, im, shape);
        // Check a few coefficients against the 3-D sum.
        int[][] ks = {{0, 0, 0}, {1, 2, 3}, {3, 1, 4}, {2, 0, 1}};
        for (int[] k : ks) {
            double sr = 0;
            double si = 0;
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 3; b++) {
                    for (int c = 0; c < 5; c++) {
                        double angle = -2 * Math.PI * ((double) k[0] * a / 4 + (double) k[1] * b / 3 + (double) k[2] * c / 5);
                        double v = x[(a * 3 + b) * 5 + c];
                        sr += v * Math.cos(angle);
                        si += v * Math.sin(angle);
                    }
                }
            }
            int index = (k[0] * 3 + k[1]) * 5 + k[2];
            assertEquals(sr, re[index], 1e-10);
            assertEquals(si, im[index], 1e-10);
        }
    }

    @Test
    void matchesDirectSumForMixedRadixLengthsAndBatches() {
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 8, 12, 17, 32, 48, 96, 100, 384}) {
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
    void inverseUndoesForwardUpToTheLengthForEveryKindOfLength() {
        for (int n : new int[] {12, 64, 30, 7}) {
            int batch = 2;
            SplittableRandom rng = new SplittableRandom(n);
            double[] re = new double[n * batch], im = new double[n * batch];
            for (int i = 0; i < re.length; i++) {
                re[i] = rng.nextGaussian();
                im[i] = rng.nextGaussian();
            }
            double[] r = re.clone(), i2 = im.clone(), workRe = new double[n * batch], workIm = new double[n * batch];
            Fft fft = new Fft(n);
            fft.transform(r, i2, 0, batch, false, workRe, workIm);
            fft.transform(r, i2, 0, batch, true, workRe, workIm);
            for (int i = 0; i < re.length; i++) {
                assertEquals(re[i], r[i] / n, 1e-12, "n=" + n);
                assertEquals(im[i], i2[i] / n, 1e-12, "n=" + n);
            }
        }
    }
}
