package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AcousticsSolverTest {
    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }

    /**
     * Standing wave in the walled box [-1, 1]^2 (rho, K constant): with X = x + 1, Y = y + 1,
     * p = cos(kx X) cos(ky Y) cos(w t), u = kx / (rho w) sin(kx X) cos(ky Y) sin(w t), w = sqrt(K / rho) |k|.
     * Returns the largest pressure error at t = 0.5.
     */
    private static double standingWaveError(int n) {
        double rho = 2, bulk = 3, kx = Math.PI / 2, ky = Math.PI;
        double omega = Math.sqrt(bulk / rho) * Math.hypot(kx, ky);
        double h = 2.0 / n;
        int steps = 2 * n;
        double dt = 0.5 / steps;
        double[] p = new double[n * n], u = new double[(n + 1) * n], v = new double[n * (n + 1)];
        double t0 = -dt / 2;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double x = (i + 0.5) * h, y = (j + 0.5) * h;
                p[i * n + j] = Math.cos(kx * x) * Math.cos(ky * y);
            }
        for (int i = 0; i <= n; i++)
            for (int j = 0; j < n; j++)
                u[i * n + j] = kx / (rho * omega) * Math.sin(kx * i * h) * Math.cos(ky * (j + 0.5) * h) * Math.sin(omega * t0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= n; j++)
                v[i * (n + 1) + j] = ky / (rho * omega) * Math.cos(kx * (i + 0.5) * h) * Math.sin(ky * j * h)
                        * Math.sin(omega * t0);
        AcousticsSolver solver = new AcousticsSolver(n, n, 2, 2, filled(n * n, rho), filled(n * n, bulk),
                AxisBoundary.walls(), AxisBoundary.walls());
        assertTrue(dt < solver.maxStableStep());
        solver.setState(p, u, v, dt);
        for (int s = 0; s < steps; s++) solver.step();
        double[] out = solver.pressure();
        double error = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double x = (i + 0.5) * h, y = (j + 0.5) * h;
                double exact = Math.cos(kx * x) * Math.cos(ky * y) * Math.cos(omega * 0.5);
                error = Math.max(error, Math.abs(out[i * n + j] - exact));
            }
        return error;
    }

    @Test
    void standingWaveConvergesAtSecondOrder() {
        double coarse = standingWaveError(16), medium = standingWaveError(32), fine = standingWaveError(64);
        assertTrue(fine < 2e-3, "error " + fine);
        for (double ratio : new double[] {coarse / medium, medium / fine})
            assertEquals(4, ratio, 0.3, "errors " + coarse + ", " + medium + ", " + fine);
    }

    /** A heterogeneous medium (smooth random rho and K) released from a random pressure field. */
    private static AcousticsSolver heterogeneous(int n, AxisBoundary x, AxisBoundary y) {
        SplittableRandom rng = new SplittableRandom(3);
        double[] rho = RandomFields.fourierModes(rng, new int[] {n, n}, 3, 8);
        double[] bulk = RandomFields.fourierModes(rng, new int[] {n, n}, 3, 8);
        for (int c = 0; c < n * n; c++) {
            rho[c] = Math.exp(0.4 * rho[c]);
            bulk[c] = 2 * Math.exp(0.3 * bulk[c]);
        }
        AcousticsSolver solver = new AcousticsSolver(n, n, 2, 2, rho, bulk, x, y);
        solver.startFromRest(RandomFields.fourierModes(rng, new int[] {n, n}, 5, 20), 0.9 * solver.maxStableStep());
        return solver;
    }

    private static double worstEnergyDrift(AcousticsSolver solver, int steps) {
        double e0 = solver.energy(), worst = 0;
        for (int s = 0; s < steps; s++) {
            solver.step();
            worst = Math.max(worst, Math.abs(solver.energy() - e0) / e0);
        }
        return worst;
    }

    @Test
    void discreteEnergyIsConservedWhenPeriodic() {
        AcousticsSolver solver = heterogeneous(32, AxisBoundary.periodic(), AxisBoundary.periodic());
        assertTrue(worstEnergyDrift(solver, 400) < 1e-12);
    }

    @Test
    void discreteEnergyIsConservedBetweenWalls() {
        AcousticsSolver solver = heterogeneous(32, AxisBoundary.walls(), AxisBoundary.periodic());
        assertTrue(worstEnergyDrift(solver, 400) < 1e-12);
        AcousticsSolver box = heterogeneous(32, AxisBoundary.walls(), AxisBoundary.walls());
        assertTrue(worstEnergyDrift(box, 400) < 1e-12);
    }

    @Test
    void openBoundariesOnlyRemoveEnergyAndLetAPlaneWaveLeave() {
        AcousticsSolver solver = heterogeneous(32, AxisBoundary.open(), AxisBoundary.walls());
        double previous = solver.energy();
        for (int s = 0; s < 300; s++) {
            solver.step();
            double e = solver.energy();
            assertTrue(e <= previous * (1 + 1e-13), "energy grew at step " + s);
            previous = e;
        }

        // the outgoing-wave condition sits half a cell from the pressure it uses, so it reflects O(h) of the
        // amplitude: the energy left behind is small and falls 4x per halving of the mesh
        double coarse = energyLeftByPlanePulse(32), fine = energyLeftByPlanePulse(64);
        assertTrue(fine < 3e-3, "energy left " + fine);
        assertEquals(4, coarse / fine, 0.4, "energy left " + coarse + " then " + fine);
    }

    /**
     * A Gaussian pulse in x, uniform in y, travelling towards +x (p = Z u) in a uniform medium with open x ends:
     * the fraction of its energy still in the box after it had time to leave.
     */
    private static double energyLeftByPlanePulse(int n) {
        double rho = 1.5, bulk = 2, c = Math.sqrt(bulk / rho), z = Math.sqrt(bulk * rho), h = 2.0 / n;
        AcousticsSolver pulse = new AcousticsSolver(n, n, 2, 2, filled(n * n, rho), filled(n * n, bulk),
                AxisBoundary.open(), AxisBoundary.periodic());
        double dt = 0.5 * pulse.maxStableStep();
        double[] p = new double[n * n], u = new double[(n + 1) * n], v = new double[n * (n + 1)];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) p[i * n + j] = Math.exp(-Math.pow(((i + 0.5) * h - 1) / 0.15, 2));
        for (int i = 0; i <= n; i++)
            for (int j = 0; j < n; j++) u[i * n + j] = Math.exp(-Math.pow((i * h - 1 + c * dt / 2) / 0.15, 2)) / z;
        pulse.setState(p, u, v, dt);
        double e0 = pulse.energy();
        int steps = (int) Math.ceil(2.0 / (c * dt));
        for (int s = 0; s < steps; s++) pulse.step();
        return pulse.energy() / e0;
    }

    @Test
    void startingFromRestGivesZeroVelocityAtTimeZero() {
        AcousticsSolver solver = heterogeneous(32, AxisBoundary.walls(), AxisBoundary.open());
        double[] u = new double[32 * 32], v = new double[32 * 32];
        solver.cellCentredVelocity(u, v);
        double[] p = solver.pressure();
        double pMax = Arrays.stream(p).map(Math::abs).max().orElseThrow();
        double uMax = 0;
        // away from the open y ends, where the outgoing-wave condition cannot hold a pressure at rest
        for (int i = 0; i < 32; i++)
            for (int j = 1; j < 31; j++) uMax = Math.max(uMax, Math.max(Math.abs(u[i * 32 + j]), Math.abs(v[i * 32 + j])));
        // the two half steps around t = 0 cancel exactly in the interior
        assertTrue(uMax < 1e-14 * pMax, "velocity at rest " + uMax);
    }
}
