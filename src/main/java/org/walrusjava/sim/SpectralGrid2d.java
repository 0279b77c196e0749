package org.walrusjava.sim;

import org.walrusjava.numerics.Fft;

/**
 * Fourier transforms and wavenumbers of a periodic nx x ny grid on [0, 2 pi)^2 (row-major, x index first), so the
 * wavenumbers are integers. Real fields travel in pairs: f + i g is transformed once and the two Hermitian spectra
 * are separated afterwards, which halves the cost of every pseudo-spectral step. Holds work buffers: one instance
 * per thread.
 */
final class SpectralGrid2d {
    final int nx;
    final int ny;
    final int size;
    private final Fft fftX;
    private final Fft fftY;
    // wavenumbers per flattened grid index
    private final double[] kx;
    private final double[] ky;
    private final double[] workRe;
    private final double[] workIm;
    private final double[] zRe;
    private final double[] blockRe;
    private final double[] blockIm;
    private static final int BLOCK = 16;
    private final double[] zIm;

    SpectralGrid2d(int nx, int ny) {
        this.nx = nx;
        this.ny = ny;
        this.size = nx * ny;
        fftX = new Fft(nx);
        fftY = new Fft(ny);
        double[] kxAxis = wavenumbers(nx), kyAxis = wavenumbers(ny);
        kx = new double[size];
        ky = new double[size];
        for (int p = 0; p < size; p++) {
            kx[p] = kxAxis[p / ny];
            ky[p] = kyAxis[p % ny];
        }
        workRe = new double[size];
        workIm = new double[size];
        zRe = new double[size];
        zIm = new double[size];
        blockRe = new double[Math.max(nx, ny) * BLOCK];
        blockIm = new double[Math.max(nx, ny) * BLOCK];
    }

    private static double[] wavenumbers(int n) {
        double[] k = new double[n];
        for (int i = 0; i < n; i++) k[i] = i <= n / 2 ? i : i - n;
        return k;
    }

    double kx(int index) {
        return kx[index];
    }

    double ky(int index) {
        return ky[index];
    }

    /** 2/3 rule: keeps modes with |k_x| < nx/3 and |k_y| < ny/3, the ones quadratic products cannot alias onto. */
    boolean resolved(int index) {
        return 3 * Math.abs(kx(index)) < nx && 3 * Math.abs(ky(index)) < ny;
    }

    /** Grid point coordinate along x (or y): i * 2 pi / n. */
    static double coordinate(int i, int n) {
        return 2 * Math.PI * i / n;
    }

    void forward(double[] re, double[] im) {
        transform(re, im, false);
    }

    /** Inverse transform including the 1/(nx ny) factor. */
    void inverse(double[] re, double[] im) {
        transform(re, im, true);
        double scale = 1.0 / size;
        for (int p = 0; p < size; p++) {
            re[p] *= scale;
            im[p] *= scale;
        }
    }

    /**
     * Rows, then columns, each in blocks of {@link #BLOCK}: a block is copied into a small buffer with the lines
     * interleaved and transformed as one batch, which keeps the inner loops long and the data in cache.
     */
    private void transform(double[] re, double[] im, boolean inverse) {
        for (int i0 = 0; i0 < nx; i0 += BLOCK) {
            int height = Math.min(BLOCK, nx - i0);
            for (int r = 0; r < height; r++)
                for (int j = 0; j < ny; j++) {
                    blockRe[j * height + r] = re[(i0 + r) * ny + j];
                    blockIm[j * height + r] = im[(i0 + r) * ny + j];
                }
            fftY.transform(blockRe, blockIm, 0, height, inverse, workRe, workIm);
            for (int r = 0; r < height; r++)
                for (int j = 0; j < ny; j++) {
                    re[(i0 + r) * ny + j] = blockRe[j * height + r];
                    im[(i0 + r) * ny + j] = blockIm[j * height + r];
                }
        }
        for (int j0 = 0; j0 < ny; j0 += BLOCK) {
            int width = Math.min(BLOCK, ny - j0);
            for (int i = 0; i < nx; i++) {
                System.arraycopy(re, i * ny + j0, blockRe, i * width, width);
                System.arraycopy(im, i * ny + j0, blockIm, i * width, width);
            }
            fftX.transform(blockRe, blockIm, 0, width, inverse, workRe, workIm);
            for (int i = 0; i < nx; i++) {
                System.arraycopy(blockRe, i * width, re, i * ny + j0, width);
                System.arraycopy(blockIm, i * width, im, i * ny + j0, width);
            }
        }
    }

    /** Spectra of two real fields: F = (Z(k) + conj Z(-k)) / 2, G = (Z(k) - conj Z(-k)) / 2i with Z = FFT(f + ig). */
    void forwardPair(double[] f, double[] g, double[] fRe, double[] fIm, double[] gRe, double[] gIm) {
        System.arraycopy(f, 0, zRe, 0, size);
        System.arraycopy(g, 0, zIm, 0, size);
        forward(zRe, zIm);
        for (int i = 0; i < nx; i++) {
            int mi = (nx - i) % nx;
            for (int j = 0; j < ny; j++) {
                int p = i * ny + j;
                int m = mi * ny + (ny - j) % ny;
                double ar = zRe[p], ai = zIm[p], br = zRe[m], bi = -zIm[m];
                fRe[p] = 0.5 * (ar + br);
                fIm[p] = 0.5 * (ai + bi);
                gRe[p] = 0.5 * (ai - bi);
                gIm[p] = -0.5 * (ar - br);
            }
        }
    }

    /** Two real fields from their Hermitian spectra: the real and imaginary parts of IFFT(F + iG). */
    void inversePair(double[] fRe, double[] fIm, double[] gRe, double[] gIm, double[] f, double[] g) {
        for (int p = 0; p < size; p++) {
            zRe[p] = fRe[p] - gIm[p];
            zIm[p] = fIm[p] + gRe[p];
        }
        inverse(zRe, zIm);
        System.arraycopy(zRe, 0, f, 0, size);
        System.arraycopy(zIm, 0, g, 0, size);
    }
}
