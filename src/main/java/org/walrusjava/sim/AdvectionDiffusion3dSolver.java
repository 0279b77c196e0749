package org.walrusjava.sim;

/**
 * Advection-diffusion of a density by a steady, divergence-free velocity in the periodic unit box [0, 1)^3:
 * d rho/dt + div(u rho) = kappa lap rho, on an n^3 grid of cells (row-major, x slowest).
 *
 * <p>Finite volumes: each face carries one flux, added to one cell and taken from its neighbour, so the total mass
 * is conserved to round-off. Advective face values use the third-order upwind-biased interpolation
 * (-rho_{upwind-1} + 5 rho_upwind + 2 rho_downwind) / 6, diffusive fluxes the centred gradient (second order);
 * time stepping is the three-stage strong-stability-preserving Runge-Kutta scheme (third order).
 */
final class AdvectionDiffusion3dSolver {
    private static final double CFL = 0.8;
    /** SSP-RK3 covers [-2.51, 0] of the real axis; the largest diffusive rate is 12 kappa / dx^2. */
    private static final double RK3_REAL_LIMIT = 2.5;

    private final int n;
    private final int cells;
    private final double dx;
    private final double diffusivity;
    /** faceVelocity[a][p]: velocity component a on the upper a-face of cell p. */
    private final double[][] faceVelocity;
    private final int[] strides;
    private final int[] minus1, plus1, plus2;
    private final double[] rho, rate, stage;
    private final double maxStep;

    AdvectionDiffusion3dSolver(int n, double[][] faceVelocity, double diffusivity) {
        this.n = n;
        this.cells = n * n * n;
        this.dx = 1.0 / n;
        this.diffusivity = diffusivity;
        this.faceVelocity = faceVelocity;
        strides = new int[] {n * n, n, 1};
        minus1 = wrapOffsets(n, -1);
        plus1 = wrapOffsets(n, 1);
        plus2 = wrapOffsets(n, 2);
        rho = new double[cells];
        rate = new double[cells];
        stage = new double[cells];
        double speedSum = 0;
        for (int p = 0; p < cells; p++)
            speedSum = Math.max(speedSum,
                    Math.abs(faceVelocity[0][p]) + Math.abs(faceVelocity[1][p]) + Math.abs(faceVelocity[2][p]));
        maxStep = CFL / (speedSum / dx + 12 * diffusivity / (dx * dx) / RK3_REAL_LIMIT);
    }

    /** offset[c] = wrap(c + d) - c: the index step to the neighbour d cells away along one axis. */
    private static int[] wrapOffsets(int n, int d) {
        int[] offset = new int[n];
        for (int c = 0; c < n; c++) offset[c] = Math.floorMod(c + d, n) - c;
        return offset;
    }

    void setDensity(double[] density) {
        System.arraycopy(density, 0, rho, 0, cells);
    }

    double[] density() {
        return rho.clone();
    }

    double maxStableStep() {
        return maxStep;
    }

    /** Advances by {@code duration} in equal steps within the stability limit. */
    void advance(double duration) {
        int steps = (int) Math.ceil(duration / maxStep - 1e-9);
        for (int s = 0; s < steps; s++) step(duration / steps);
    }

    /** SSP-RK3 (Shu-Osher form): u1 = u + dt L(u); u2 = 3/4 u + 1/4 (u1 + dt L(u1)); u' = 1/3 u + 2/3 (u2 + dt L(u2)). */
    void step(double dt) {
        tendency(rho, rate);
        for (int p = 0; p < cells; p++) stage[p] = rho[p] + dt * rate[p];
        tendency(stage, rate);
        for (int p = 0; p < cells; p++) stage[p] = 0.75 * rho[p] + 0.25 * (stage[p] + dt * rate[p]);
        tendency(stage, rate);
        for (int p = 0; p < cells; p++) rho[p] = rho[p] / 3 + 2.0 / 3 * (stage[p] + dt * rate[p]);
    }

    /**
     * out = -div(flux) for the density field f: each face's flux is computed once and moved from the cell below
     * the face to the cell above it.
     */
    private void tendency(double[] f, double[] out) {
        java.util.Arrays.fill(out, 0);
        double inverseDx = 1 / dx;
        for (int axis = 0; axis < 3; axis++) {
            int stride = strides[axis];
            double[] velocity = faceVelocity[axis];
            for (int i = 0, p = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++, p++) {
                        int c = axis == 0 ? i : axis == 1 ? j : k;
                        int above = p + plus1[c] * stride;
                        double here = f[p], next = f[above];
                        double u = velocity[p];
                        double face = u >= 0
                                ? (-f[p + minus1[c] * stride] + 5 * here + 2 * next) / 6
                                : (2 * here + 5 * next - f[p + plus2[c] * stride]) / 6;
                        double transfer = (u * face - diffusivity * (next - here) * inverseDx) * inverseDx;
                        out[p] -= transfer;
                        out[above] += transfer;
                    }
        }
    }
}
