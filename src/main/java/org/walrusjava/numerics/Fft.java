package org.walrusjava.numerics;

import java.util.Arrays;

/**
 * Complex discrete Fourier transforms of data held as separate real and imaginary arrays, unnormalised, with the
 * numpy/torch sign convention: forward X[k] = sum_x x[x] e^{-2 pi i x k / n}, the inverse with the opposite sign.
 * One sequence, a batch of interleaved sequences (element e of sequence b at {@code offset + e * batch + b}, so that
 * the columns of a row-major array are transformed in one cache-friendly sweep), or every axis of a row-major array.
 *
 * <p>Lengths n = 2^a 3^b (every grid size the stride table admits) use a self-sorting Stockham decimation in
 * frequency: each stage splits the current length by its radix (4, 2 or 3), writes the twiddled partial sums to
 * the other buffer, and the strides absorb the digit reversal, so the result comes out in natural order. Other
 * lengths (user data of any size, whose spectra the metrics need) use Bluestein's chirp-z algorithm on a
 * power-of-two Stockham transform, so every length is O(n log n). Not thread-safe: instances keep scratch buffers.
 */
public final class Fft {
    private final int n;
    private final int[] radices;
    private final double[] cos;
    private final double[] sin;
    private final Bluestein bluestein;

    public Fft(int n) {
        if (n < 1) throw new IllegalArgumentException("FFT length must be positive: " + n);
        this.n = n;
        this.radices = factor(n);
        this.bluestein = radices == null ? new Bluestein(n) : null;
        int tableSize = radices == null ? 0 : n;
        cos = new double[tableSize];
        sin = new double[tableSize];
        for (int k = 0; k < tableSize; k++) {
            double angle = 2 * Math.PI * k / n;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
    }

    /** The radices of n = 2^a 3^b, fours first; null for any other length. */
    private static int[] factor(int n) {
        int[] out = new int[32];
        int count = 0;
        int rest = n;
        while (rest % 4 == 0) {
            out[count++] = 4;
            rest /= 4;
        }
        while (rest % 2 == 0) {
            out[count++] = 2;
            rest /= 2;
        }
        while (rest % 3 == 0) {
            out[count++] = 3;
            rest /= 3;
        }
        return rest == 1 ? Arrays.copyOf(out, count) : null;
    }

    /** Forward transform of one sequence of length n, in place. */
    public void forward(double[] re, double[] im) {
        if (re.length != n || im.length != n)
            throw new IllegalArgumentException("FFT of length " + n + " given arrays of " + re.length + "/" + im.length);
        transform(re, im, 0, 1, false, new double[n], new double[n]);
    }

    /** Forward transform along every axis of a row-major (last axis fastest) array of the given shape, in place. */
    public static void forwardNd(double[] re, double[] im, int[] shape) {
        int total = 1;
        for (int s : shape) total *= s;
        if (re.length != total || im.length != total)
            throw new IllegalArgumentException("array of " + re.length + " values does not have shape product " + total);
        double[] workRe = new double[total], workIm = new double[total];
        int stride = total;
        for (int len : shape) {
            stride /= len;
            if (len == 1) continue;
            // within each block of len * stride values the lines along this axis are `stride` interleaved sequences
            Fft fft = new Fft(len);
            for (int block = 0; block < total; block += len * stride)
                fft.transform(re, im, block, stride, false, workRe, workIm);
        }
    }

    /**
     * Transforms {@code batch} interleaved sequences in place, starting at {@code offset}. The work arrays need
     * n * batch entries.
     */
    public void transform(double[] re, double[] im, int offset, int batch, boolean inverse, double[] workRe,
                          double[] workIm) {
        if (bluestein != null) {
            bluestein.transform(re, im, offset, batch, inverse);
            return;
        }
        double sign = inverse ? 1 : -1;
        double[] xr = re, xi = im, yr = workRe, yi = workIm;
        int xOff = offset, yOff = 0;
        int length = n;
        int stride = batch;
        int twiddleStep = 1;
        for (int radix : radices) {
            int m = length / radix;
            switch (radix) {
                case 4 -> radix4(xr, xi, xOff, yr, yi, yOff, m, stride, twiddleStep, sign);
                case 2 -> radix2(xr, xi, xOff, yr, yi, yOff, m, stride, twiddleStep, sign);
                default -> radix3(xr, xi, xOff, yr, yi, yOff, m, stride, twiddleStep, sign);
            }
            double[] tr = xr, ti = xi;
            int tOff = xOff;
            xr = yr;
            xi = yi;
            xOff = yOff;
            yr = tr;
            yi = ti;
            yOff = tOff;
            length = m;
            stride *= radix;
            twiddleStep *= radix;
        }
        if (xr != re) {
            System.arraycopy(xr, xOff, re, offset, n * batch);
            System.arraycopy(xi, xOff, im, offset, n * batch);
        }
    }

    // In each stage: inputs x[q + s (j + r m)], outputs y[q + s (radix j + t)] = w^{j t} sum_r x_r w_radix^{r t},
    // with w = e^{sign 2 pi i / (radix m)} = the table entry (j t twiddleStep).

    private void radix2(double[] xr, double[] xi, int xo, double[] yr, double[] yi, int yo, int m, int s,
                        int step, double sign) {
        for (int j = 0; j < m; j++) {
            double wr = cos[j * step], wi = sign * sin[j * step];
            int in0 = xo + s * j, in1 = xo + s * (j + m);
            int out0 = yo + s * 2 * j, out1 = out0 + s;
            for (int q = 0; q < s; q++) {
                double ar = xr[in0 + q], ai = xi[in0 + q];
                double br = xr[in1 + q], bi = xi[in1 + q];
                yr[out0 + q] = ar + br;
                yi[out0 + q] = ai + bi;
                double dr = ar - br, di = ai - bi;
                yr[out1 + q] = dr * wr - di * wi;
                yi[out1 + q] = dr * wi + di * wr;
            }
        }
    }

    private void radix4(double[] xr, double[] xi, int xo, double[] yr, double[] yi, int yo, int m, int s,
                        int step, double sign) {
        for (int j = 0; j < m; j++) {
            double w1r = cos[j * step], w1i = sign * sin[j * step];
            double w2r = cos[2 * j * step], w2i = sign * sin[2 * j * step];
            double w3r = cos[3 * j * step], w3i = sign * sin[3 * j * step];
            int in0 = xo + s * j, in1 = in0 + s * m, in2 = in1 + s * m, in3 = in2 + s * m;
            int out0 = yo + s * 4 * j, out1 = out0 + s, out2 = out1 + s, out3 = out2 + s;
            for (int q = 0; q < s; q++) {
                double ar = xr[in0 + q], ai = xi[in0 + q];
                double br = xr[in1 + q], bi = xi[in1 + q];
                double cr = xr[in2 + q], ci = xi[in2 + q];
                double dr = xr[in3 + q], di = xi[in3 + q];
                double sacR = ar + cr, sacI = ai + ci, dacR = ar - cr, dacI = ai - ci;
                double sbdR = br + dr, sbdI = bi + di, dbdR = br - dr, dbdI = bi - di;
                // multiply (b - d) by sign*i: the quarter-turn of the radix-4 kernel
                double rbdR = -sign * dbdI, rbdI = sign * dbdR;
                yr[out0 + q] = sacR + sbdR;
                yi[out0 + q] = sacI + sbdI;
                double t1r = dacR + rbdR, t1i = dacI + rbdI;
                yr[out1 + q] = t1r * w1r - t1i * w1i;
                yi[out1 + q] = t1r * w1i + t1i * w1r;
                double t2r = sacR - sbdR, t2i = sacI - sbdI;
                yr[out2 + q] = t2r * w2r - t2i * w2i;
                yi[out2 + q] = t2r * w2i + t2i * w2r;
                double t3r = dacR - rbdR, t3i = dacI - rbdI;
                yr[out3 + q] = t3r * w3r - t3i * w3i;
                yi[out3 + q] = t3r * w3i + t3i * w3r;
            }
        }
    }

    private void radix3(double[] xr, double[] xi, int xo, double[] yr, double[] yi, int yo, int m, int s,
                        int step, double sign) {
        double h = sign * Math.sqrt(3) / 2;
        for (int j = 0; j < m; j++) {
            double w1r = cos[j * step], w1i = sign * sin[j * step];
            double w2r = cos[2 * j * step], w2i = sign * sin[2 * j * step];
            int in0 = xo + s * j, in1 = in0 + s * m, in2 = in1 + s * m;
            int out0 = yo + s * 3 * j, out1 = out0 + s, out2 = out1 + s;
            for (int q = 0; q < s; q++) {
                double ar = xr[in0 + q], ai = xi[in0 + q];
                double br = xr[in1 + q], bi = xi[in1 + q];
                double cr = xr[in2 + q], ci = xi[in2 + q];
                double sr = br + cr, si = bi + ci;
                double mr = ar - 0.5 * sr, mi = ai - 0.5 * si;
                // h * i * (b - c)
                double rr = -h * (bi - ci), ri = h * (br - cr);
                yr[out0 + q] = ar + sr;
                yi[out0 + q] = ai + si;
                double t1r = mr + rr, t1i = mi + ri;
                yr[out1 + q] = t1r * w1r - t1i * w1i;
                yi[out1 + q] = t1r * w1i + t1i * w1r;
                double t2r = mr - rr, t2i = mi - ri;
                yr[out2 + q] = t2r * w2r - t2i * w2i;
                yi[out2 + q] = t2r * w2i + t2i * w2r;
            }
        }
    }

    /**
     * Bluestein: since xk = (x^2 + k^2 - (k-x)^2) / 2, with the chirp c_x = e^{-pi i x^2 / n} the transform is
     * X_k = c_k sum_x (x_x c_x) conj(c_{k-x}), a circular convolution of length m >= 2n - 1 done with power-of-two
     * transforms. The inverse is the conjugate of the forward transform of the conjugate.
     */
    private static final class Bluestein {
        private final int n;
        private final int m;
        private final Fft inner;
        private final double[] chirpRe, chirpIm, filterRe, filterIm, lineRe, lineIm, scratchRe, scratchIm;

        Bluestein(int n) {
            this.n = n;
            this.m = Integer.highestOneBit(2 * n - 1) << 1;
            this.inner = new Fft(m);
            chirpRe = new double[n];
            chirpIm = new double[n];
            for (int x = 0; x < n; x++) {
                // x^2 mod 2n keeps the angle small, so large n loses no precision
                double angle = -Math.PI * (((long) x * x) % (2L * n)) / n;
                chirpRe[x] = Math.cos(angle);
                chirpIm[x] = Math.sin(angle);
            }
            filterRe = new double[m];
            filterIm = new double[m];
            for (int x = 0; x < n; x++) {
                filterRe[x] = chirpRe[x];
                filterIm[x] = -chirpIm[x];
                if (x > 0) {
                    filterRe[m - x] = chirpRe[x];
                    filterIm[m - x] = -chirpIm[x];
                }
            }
            lineRe = new double[m];
            lineIm = new double[m];
            scratchRe = new double[m];
            scratchIm = new double[m];
            inner.transform(filterRe, filterIm, 0, 1, false, scratchRe, scratchIm);
        }

        void transform(double[] re, double[] im, int offset, int batch, boolean inverse) {
            double conj = inverse ? -1 : 1;
            for (int b = 0; b < batch; b++) {
                Arrays.fill(lineRe, 0);
                Arrays.fill(lineIm, 0);
                for (int x = 0; x < n; x++) {
                    int at = offset + x * batch + b;
                    double vr = re[at], vi = conj * im[at];
                    lineRe[x] = vr * chirpRe[x] - vi * chirpIm[x];
                    lineIm[x] = vr * chirpIm[x] + vi * chirpRe[x];
                }
                inner.transform(lineRe, lineIm, 0, 1, false, scratchRe, scratchIm);
                for (int k = 0; k < m; k++) {
                    double r = lineRe[k] * filterRe[k] - lineIm[k] * filterIm[k];
                    lineIm[k] = lineRe[k] * filterIm[k] + lineIm[k] * filterRe[k];
                    lineRe[k] = r;
                }
                inner.transform(lineRe, lineIm, 0, 1, true, scratchRe, scratchIm);
                for (int k = 0; k < n; k++) {
                    double r = lineRe[k] / m, i = lineIm[k] / m;
                    int at = offset + k * batch + b;
                    re[at] = r * chirpRe[k] - i * chirpIm[k];
                    im[at] = conj * (r * chirpIm[k] + i * chirpRe[k]);
                }
            }
        }
    }
}
