package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class GrayScottSolverTest {
    private static final double DA = 2e-5, DB = 1e-5;

    /** Smooth initial state on a 32-point periodic grid of spacing 1/64: a B bump in a sea of A. */
    private static GrayScottSolver bump(double feed, double kill) {
        int n = 32;
        double h = 1.0 / 64;
        GrayScottSolver solver = new GrayScottSolver(n, h, DA, DB, feed, kill);
        double[] a = new double[n * n], b = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double x = Math.sin(2 * Math.PI * i / n), y = Math.sin(2 * Math.PI * (j + 3) / n);
                b[i * n + j] = 0.25 * Math.exp(2 * (x + y - 2));
                a[i * n + j] = 1 - b[i * n + j];
            }
        solver.setState(a, b);
        return solver;
    }

    private static double[] speciesBAfter(double duration, int steps) {
        GrayScottSolver solver = bump(0.029, 0.057);
        for (int s = 0; s < steps; s++) solver.step(duration / steps);
        return solver.speciesB();
    }

    @Test
    void rungeKuttaIsFourthOrderInTime() {
        double duration = 100;
        double[] reference = speciesBAfter(duration, 1600);
        double[] errors = new double[3];
        for (int level = 0; level < 3; level++) {
            double[] b = speciesBAfter(duration, 50 << level);
            for (int p = 0; p < b.length; p++) errors[level] = Math.max(errors[level], Math.abs(b[p] - reference[p]));
        }
        for (int level = 0; level < 2; level++)
            assertEquals(16, errors[level] / errors[level + 1], 2.5, java.util.Arrays.toString(errors));
    }

    /**
     * With F = k = 0 and B = 0 the system is pure diffusion of A; a Fourier mode of the fixed-size box decays as
     * exp(-D_A |k|^2 t) and the five-point Laplacian misses that rate by O(h^2).
     */
    private static double diffusionError(int n) {
        double side = 0.5, h = side / n, duration = 200;
        GrayScottSolver solver = new GrayScottSolver(n, h, DA, DB, 0, 0);
        double[] a = new double[n * n], mode = new double[n * n];
        double k = 2 * Math.PI * 2 / side;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) mode[i * n + j] = Math.cos(k * i * h) * Math.cos(k * j * h);
        for (int p = 0; p < a.length; p++) a[p] = 1 + 0.1 * mode[p];
        solver.setState(a, new double[n * n]);
        for (int s = 0; s < 200; s++) solver.step(duration / 200);
        double exact = Math.exp(-DA * 2 * k * k * duration), error = 0;
        double[] out = solver.speciesA();
        for (int p = 0; p < out.length; p++) error = Math.max(error, Math.abs(out[p] - (1 + 0.1 * exact * mode[p])));
        return error;
    }

    @Test
    void laplacianIsSecondOrderInSpace() {
        double coarse = diffusionError(32), fine = diffusionError(64);
        assertTrue(fine < 1e-3, "error " + fine);
        assertEquals(4, coarse / fine, 0.3, coarse + " then " + fine);
    }

    @Test
    void homogeneousSteadyStateStaysPut() {
        int n = 32;
        GrayScottSolver solver = new GrayScottSolver(n, 1.0 / 64, DA, DB, 0.03, 0.06);
        double[] a = new double[n * n];
        java.util.Arrays.fill(a, 1);
        solver.setState(a, new double[n * n]);
        for (int s = 0; s < 50; s++) solver.step(2.5);
        for (double v : solver.speciesA()) assertEquals(1, v, 0);
        for (double v : solver.speciesB()) assertEquals(0, v, 0);
    }
}
