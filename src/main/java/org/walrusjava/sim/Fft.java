package org.walrusjava.sim;

/**
 * Complex discrete Fourier transform of length n = 2^a 3^b (every grid size the stride table admits), applied to
 * a batch of interleaved sequences: element e of sequence b sits at index {@code offset + e * batch + b}. With
 * batch = row length this transforms the columns of a row-major 2-D array in one cache-friendly sweep.
 *
 * <p>Self-sorting Stockham decimation in frequency: each stage splits the current length by its radix (4, 2 or
 * 3), writes the twiddled partial sums to the other buffer, and the strides absorb the digit reversal, so the
 * result comes out in natural order. Forward: X[k] = sum_x x[x] e^{-2 pi i x k / n}; the inverse is unnormalised.
 */
final class Fft {
    private final int n;
    private final int[] radices;
    private final double[] cos;
    private final double[] sin;

    Fft(int n) {
        this.n = n;
        this.radices = factor(n);
        cos = new double[n];
        sin = new double[n];
        for (int k = 0; k < n; k++) {
            double angle = 2 * Math.PI * k / n;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
    }

    private static int[] factor(int n) {
        if (n < 1) throw new IllegalArgumentException("FFT length must be positive: " + n);
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
        if (rest != 1) throw new IllegalArgumentException("FFT length must be 2^a 3^b: " + n);
        return java.util.Arrays.copyOf(out, count);
    }

    /**
     * Transforms {@code batch} interleaved sequences in place, starting at {@code offset}. The work arrays need
     * n * batch entries.
     */
    void transform(double[] re, double[] im, int offset, int batch, boolean inverse, double[] workRe,
                   double[] workIm) {
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
}
