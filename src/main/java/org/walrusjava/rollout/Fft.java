package org.walrusjava.rollout;

import java.util.Arrays;

/**
 * Discrete Fourier transforms of complex data held as separate real and imaginary arrays, unnormalised forward
 * convention X_k = sum_j x_j exp(-2 pi i jk / n) (the same as numpy and torch). Powers of two use an iterative
 * radix-2 transform; other lengths use Bluestein's chirp-z algorithm on top of it, so every length is O(n log n).
 */
public final class Fft {
    private final int n;
    private final Radix2 radix2;
    private final Bluestein bluestein;

    /** A reusable transform of length n (n >= 1); not thread-safe, since it keeps scratch buffers. */
    public Fft(int n) {
        if (n < 1) throw new IllegalArgumentException("FFT length must be positive, got " + n);
        this.n = n;
        boolean pow2 = Integer.bitCount(n) == 1;
        this.radix2 = pow2 ? new Radix2(n) : null;
        this.bluestein = pow2 ? null : new Bluestein(n);
    }

    /** Transforms re/im in place (forward). */
    public void forward(double[] re, double[] im) {
        if (re.length != n || im.length != n) {
            throw new IllegalArgumentException("FFT of length " + n + " given arrays of " + re.length + "/" + im.length);
        }
        if (radix2 != null) radix2.transform(re, im, false);
        else bluestein.transform(re, im);
    }

    /**
     * Forward n-dimensional transform of a row-major (last axis fastest) array of the given shape, in place.
     */
    public static void forwardNd(double[] re, double[] im, int[] shape) {
        int total = 1;
        for (int s : shape) total *= s;
        if (re.length != total || im.length != total) {
            throw new IllegalArgumentException("array of " + re.length + " values does not have shape product " + total);
        }
        int stride = total;
        for (int len : shape) {
            stride /= len;
            if (len > 1) transformAxis(re, im, total, len, stride);
        }
    }

    /** Applies the 1-D transform to every line along one axis (length len, element spacing stride). */
    private static void transformAxis(double[] re, double[] im, int total, int len, int stride) {
        Fft fft = new Fft(len);
        double[] lineRe = new double[len];
        double[] lineIm = new double[len];
        int block = len * stride;
        for (int outer = 0; outer < total; outer += block) {
            for (int inner = 0; inner < stride; inner++) {
                int start = outer + inner;
                for (int j = 0; j < len; j++) {
                    lineRe[j] = re[start + j * stride];
                    lineIm[j] = im[start + j * stride];
                }
                fft.forward(lineRe, lineIm);
                for (int j = 0; j < len; j++) {
                    re[start + j * stride] = lineRe[j];
                    im[start + j * stride] = lineIm[j];
                }
            }
        }
    }

    /** Iterative Cooley-Tukey for a power-of-two length. */
    private static final class Radix2 {
        private final int n;
        private final int[] bitReversed;
        private final double[] cos;
        private final double[] sin;

        Radix2(int n) {
            this.n = n;
            int bits = Integer.numberOfTrailingZeros(n);
            bitReversed = new int[n];
            for (int i = 0; i < n; i++) bitReversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
            cos = new double[n / 2];
            sin = new double[n / 2];
            for (int k = 0; k < n / 2; k++) {
                double angle = -2 * Math.PI * k / n;
                cos[k] = Math.cos(angle);
                sin[k] = Math.sin(angle);
            }
        }

        void transform(double[] re, double[] im, boolean inverse) {
            for (int i = 0; i < n; i++) {
                int j = bitReversed[i];
                if (j > i) {
                    double t = re[i]; re[i] = re[j]; re[j] = t;
                    t = im[i]; im[i] = im[j]; im[j] = t;
                }
            }
            double sign = inverse ? -1 : 1;
            for (int size = 2; size <= n; size <<= 1) {
                int half = size >> 1;
                int step = n / size;
                for (int start = 0; start < n; start += size) {
                    for (int k = 0; k < half; k++) {
                        double wr = cos[k * step];
                        double wi = sign * sin[k * step];
                        int a = start + k;
                        int b = a + half;
                        double tr = re[b] * wr - im[b] * wi;
                        double ti = re[b] * wi + im[b] * wr;
                        re[b] = re[a] - tr;
                        im[b] = im[a] - ti;
                        re[a] += tr;
                        im[a] += ti;
                    }
                }
            }
        }
    }

    /**
     * Bluestein: since jk = (j^2 + k^2 - (k-j)^2) / 2, with the chirp w_j = exp(-pi i j^2 / n) the transform is
     * X_k = w_k * sum_j (x_j w_j) conj(w_(k-j)), a convolution done by zero-padded power-of-two FFTs of length
     * m >= 2n - 1.
     */
    private static final class Bluestein {
        private final int n;
        private final int m;
        private final Radix2 radix2;
        private final double[] chirpRe;
        private final double[] chirpIm;
        private final double[] filterRe;
        private final double[] filterIm;
        private final double[] workRe;
        private final double[] workIm;

        Bluestein(int n) {
            this.n = n;
            this.m = Integer.highestOneBit(2 * n - 1) << 1;
            this.radix2 = new Radix2(m);
            chirpRe = new double[n];
            chirpIm = new double[n];
            for (int j = 0; j < n; j++) {
                // j^2 mod 2n keeps the angle small, so large n loses no precision.
                long jj = ((long) j * j) % (2L * n);
                double angle = -Math.PI * jj / n;
                chirpRe[j] = Math.cos(angle);
                chirpIm[j] = Math.sin(angle);
            }
            filterRe = new double[m];
            filterIm = new double[m];
            filterRe[0] = chirpRe[0];
            filterIm[0] = -chirpIm[0];
            for (int j = 1; j < n; j++) {
                filterRe[j] = filterRe[m - j] = chirpRe[j];
                filterIm[j] = filterIm[m - j] = -chirpIm[j];
            }
            radix2.transform(filterRe, filterIm, false);
            workRe = new double[m];
            workIm = new double[m];
        }

        void transform(double[] re, double[] im) {
            Arrays.fill(workRe, 0);
            Arrays.fill(workIm, 0);
            for (int j = 0; j < n; j++) {
                workRe[j] = re[j] * chirpRe[j] - im[j] * chirpIm[j];
                workIm[j] = re[j] * chirpIm[j] + im[j] * chirpRe[j];
            }
            radix2.transform(workRe, workIm, false);
            for (int k = 0; k < m; k++) {
                double r = workRe[k] * filterRe[k] - workIm[k] * filterIm[k];
                double i = workRe[k] * filterIm[k] + workIm[k] * filterRe[k];
                workRe[k] = r;
                workIm[k] = i;
            }
            radix2.transform(workRe, workIm, true);
            for (int k = 0; k < n; k++) {
                double r = workRe[k] / m;
                double i = workIm[k] / m;
                re[k] = r * chirpRe[k] - i * chirpIm[k];
                im[k] = r * chirpIm[k] + i * chirpRe[k];
            }
        }
    }
}
