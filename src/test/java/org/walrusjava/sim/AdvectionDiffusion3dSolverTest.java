package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdvectionDiffusion3dSolverTest {
    private static double[][] uniformFlow(int n, double ux, double uy, double uz) {
        double[][] velocity = new double[3][n * n * n];
        java.util.Arrays.fill(velocity[0], ux);
        java.util.Arrays.fill(velocity[1], uy);
        java.util.Arrays.fill(velocity[2], uz);
        return velocity;
    }

    /** Max error of a sine wave sin(2 pi (x + y - z)) carried by (ux, uy, uz) and decaying by kappa, at t = 0.25. */
    private static double travellingWaveError(int n, double ux, double uy, double uz, double kappa, int steps) {
        AdvectionDiffusion3dSolver solver = new AdvectionDiffusion3dSolver(n, uniformFlow(n, ux, uy, uz), kappa);
        double duration = 0.25;
        double[] rho = new double[n * n * n], exact = new double[n * n * n];
        double k2 = 3 * 4 * Math.PI * Math.PI;
        for (int i = 0, p = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++, p++) {
                    double x = (i + 0.5) / n, y = (j + 0.5) / n, z = (k + 0.5) / n;
                    rho[p] = Math.sin(2 * Math.PI * (x + y - z));
                    exact[p] = Math.exp(-kappa * k2 * duration)
                            * Math.sin(2 * Math.PI * (x + y - z - (ux + uy - uz) * duration));
                }
        solver.setDensity(rho);
        assertTrue(duration / steps < solver.maxStableStep());
        for (int s = 0; s < steps; s++) solver.step(duration / steps);
        double[] out = solver.density();
        double error = 0;
        for (int p = 0; p < out.length; p++) error = Math.max(error, Math.abs(out[p] - exact[p]));
        return error;
    }

    @Test
    void upwindBiasedAdvectionIsThirdOrder() {
        double coarse = travellingWaveError(16, 0.7, -0.4, 0.3, 0, 40);
        double fine = travellingWaveError(32, 0.7, -0.4, 0.3, 0, 80);
        assertTrue(fine < 1e-2, "error " + fine);
        assertEquals(8, coarse / fine, 1.2, coarse + " then " + fine);
    }

    @Test
    void centredDiffusionIsSecondOrder() {
        double coarse = travellingWaveError(16, 0, 0, 0, 0.02, 40);
        double fine = travellingWaveError(32, 0, 0, 0, 0.02, 160);
        assertTrue(fine < 1e-2, "error " + fine);
        assertEquals(4, coarse / fine, 0.4, coarse + " then " + fine);
    }

    @Test
    void sspRungeKuttaIsThirdOrderInTime() {
        int n = 16;
        double[] errors = new double[3];
        double[] reference = densityAfter(n, 320);
        for (int level = 0; level < 3; level++) {
            double[] rho = densityAfter(n, 20 << level);
            for (int p = 0; p < rho.length; p++) errors[level] = Math.max(errors[level], Math.abs(rho[p] - reference[p]));
        }
        for (int level = 0; level < 2; level++)
            assertEquals(8, errors[level] / errors[level + 1], 1.2, java.util.Arrays.toString(errors));
    }

    private static double[] densityAfter(int n, int steps) {
        AdvectionDiffusion3dSolver solver = new AdvectionDiffusion3dSolver(n, uniformFlow(n, 1, 0.5, -0.8), 2e-3);
        solver.setDensity(RandomFields.fourierModes(new SplittableRandom(4), new int[] {n, n, n}, 3, 10));
        for (int s = 0; s < steps; s++) solver.step(0.2 / steps);
        return solver.density();
    }

    @Test
    void massIsConservedInTheStirredBox() {
        AdvectionDiffusion3d system = new AdvectionDiffusion3d();
        Trajectory t = system.simulate(9, 16, 2);
        int cells = 16 * 16 * 16;
        double[][] velocity = new double[3][cells];
        for (int a = 0; a < 3; a++)
            for (int p = 0; p < cells; p++) velocity[a][p] = t.constantFields().get("velocity_" + "xyz".charAt(a))[p];
        AdvectionDiffusion3dSolver solver = new AdvectionDiffusion3dSolver(16, velocity, 1e-3);
        double[] rho = new double[cells];
        for (int p = 0; p < cells; p++) rho[p] = Math.exp(Math.sin(7.0 * p));
        solver.setDensity(rho);
        double mass0 = java.util.Arrays.stream(rho).sum();
        solver.advance(1.0);
        double[] out = solver.density();
        double mass = java.util.Arrays.stream(out).sum();
        assertTrue(Math.abs(mass - mass0) < 1e-12 * mass0, "mass drift " + (mass - mass0) / mass0);
        double change = 0;
        for (int p = 0; p < cells; p++) change = Math.max(change, Math.abs(out[p] - rho[p]));
        assertTrue(change > 0.1, "the density must actually move: " + change);
    }
}
