package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NavierStokes2dSolverTest {
    private static final int N = 32;

    /** u = A cos(kx) sin(ky), v = -A sin(kx) cos(ky): vorticity -2Ak cos(kx) cos(ky), a steady Euler solution. */
    private static NavierStokes2dSolver taylorGreen(double viscosity, int k, double amplitude) {
        NavierStokes2dSolver solver = new NavierStokes2dSolver(N, viscosity, viscosity);
        double[] w = new double[N * N], c = new double[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double x = SpectralGrid2d.coordinate(i, N), y = SpectralGrid2d.coordinate(j, N);
                w[i * N + j] = -2 * amplitude * k * Math.cos(k * x) * Math.cos(k * y);
                c[i * N + j] = Math.sin(x);
            }
        solver.setState(w, c);
        return solver;
    }

    @Test
    void taylorGreenVortexDecaysAsExpMinus2NuK2T() {
        double nu = 0.05, amplitude = 1.3;
        int k = 2;
        NavierStokes2dSolver solver = taylorGreen(nu, k, amplitude);
        solver.advance(1.5);
        double decay = Math.exp(-2 * nu * k * k * solver.time());
        double[] u = new double[N * N], v = new double[N * N], p = new double[N * N];
        solver.velocity(u, v);
        solver.pressure(p);
        double worstVelocity = 0, worstPressure = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double x = SpectralGrid2d.coordinate(i, N), y = SpectralGrid2d.coordinate(j, N);
                double a = amplitude * decay;
                worstVelocity = Math.max(worstVelocity, Math.abs(u[i * N + j] - a * Math.cos(k * x) * Math.sin(k * y)));
                worstVelocity = Math.max(worstVelocity, Math.abs(v[i * N + j] + a * Math.sin(k * x) * Math.cos(k * y)));
                // p = -(a^2 / 4)(cos 2kx + cos 2ky) for unit density
                double exact = -a * a / 4 * (Math.cos(2 * k * x) + Math.cos(2 * k * y));
                worstPressure = Math.max(worstPressure, Math.abs(p[i * N + j] - exact));
            }
        assertEquals(1.5, solver.time(), 1e-12);
        assertTrue(decay < 0.7, "the test must see real decay: " + decay);
        assertTrue(worstVelocity < 1e-12 * amplitude, "velocity error " + worstVelocity);
        assertTrue(worstPressure < 1e-12 * amplitude * amplitude, "pressure error " + worstPressure);
    }

    private static NavierStokes2dSolver randomFlow(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        NavierStokes2dSolver solver = new NavierStokes2dSolver(n, 2e-3, 1e-3);
        solver.setState(RandomFields.fourierModes(rng, new int[] {n, n}, 6, 40),
                RandomFields.fourierModes(rng, new int[] {n, n}, 4, 10));
        return solver;
    }

    @Test
    void velocityIsSpectrallyDivergenceFreeAndTracerMassIsConserved() {
        int n = 64;
        NavierStokes2dSolver solver = randomFlow(n, 11);
        double[] w = new double[n * n], c0 = new double[n * n];
        solver.vorticityAndTracer(w, c0);
        solver.advance(0.5);
        double[] u = new double[n * n], v = new double[n * n], c = new double[n * n];
        solver.velocity(u, v);
        solver.vorticityAndTracer(w, c);

        SpectralGrid2d grid = new SpectralGrid2d(n, n);
        double[] ur = new double[n * n], ui = new double[n * n], vr = new double[n * n], vi = new double[n * n];
        grid.forwardPair(u, v, ur, ui, vr, vi);
        double divergence = 0, gradient = 0;
        for (int p = 0; p < n * n; p++) {
            double kx = grid.kx(p), ky = grid.ky(p);
            divergence = Math.max(divergence, Math.hypot(kx * ur[p] + ky * vr[p], kx * ui[p] + ky * vi[p]));
            gradient = Math.max(gradient, Math.hypot(kx * ur[p], kx * ui[p]));
        }
        assertTrue(divergence < 1e-12 * gradient, "spectral divergence " + divergence + " vs " + gradient);

        double mass0 = 0, mass = 0, scale = 0;
        for (int p = 0; p < n * n; p++) {
            mass0 += c0[p];
            mass += c[p];
            scale += Math.abs(c[p]);
        }
        assertTrue(Math.abs(mass - mass0) < 1e-12 * scale, "tracer mass drift " + (mass - mass0));
        double change = 0;
        for (int p = 0; p < n * n; p++) change = Math.max(change, Math.abs(c[p] - c0[p]));
        assertTrue(change > 0.1, "the tracer must actually move: " + change);
    }

    @Test
    void integratingFactorRk4IsFourthOrderInTime() {
        int n = 32;
        double duration = 0.4;
        double[] reference = tracerAfter(n, duration, 256);
        double[] errors = new double[3];
        for (int level = 0; level < 3; level++) {
            double[] c = tracerAfter(n, duration, 8 << level);
            for (int p = 0; p < c.length; p++) errors[level] = Math.max(errors[level], Math.abs(c[p] - reference[p]));
        }
        for (int level = 0; level < 2; level++) {
            double ratio = errors[level] / errors[level + 1];
            assertEquals(16, ratio, 2.5, "error ratio " + ratio + " errors " + java.util.Arrays.toString(errors));
        }
    }

    private static double[] tracerAfter(int n, double duration, int steps) {
        NavierStokes2dSolver solver = randomFlow(n, 5);
        for (int s = 0; s < steps; s++) solver.step(duration / steps);
        double[] w = new double[n * n], c = new double[n * n];
        solver.vorticityAndTracer(w, c);
        return c;
    }
}
