package org.walrusjava.sim;

/**
 * Two-dimensional linear acoustics with variable density rho and bulk modulus K (speed of sound sqrt(K / rho)):
 *
 * <pre>
 *   dp/dt + K (du/dx + dv/dy) = 0,     du/dt + (1/rho) dp/dx = 0,     dv/dt + (1/rho) dp/dy = 0
 * </pre>
 *
 * Staggered (Yee) grid with leapfrog in time, second order in space and time: p at cell centres and integer
 * times, u on x-faces and v on y-faces at half-integer times; face densities are the mean of the two cells.
 * Boundaries per axis end: WALL sets the normal velocity to zero (reflection); OPEN imposes the outgoing
 * characteristic u_n = p / Z with impedance Z = sqrt(K rho), centred in time so it can only remove energy (it
 * uses the pressure half a cell inside, so a wave leaving head-on reflects O(h) of its amplitude: 5% at h = 1/32
 * for a Gaussian pulse of width 0.15); PERIODIC wraps. With walls and periodic ends the discrete energy
 * E = sum p^2 / (2K) + sum rho_face u^{n-1/2} u^{n+1/2} / 2 (times the cell area) is conserved exactly.
 *
 * <p>Arrays: p[i * ny + j]; u[i * ny + j] for x-face i (between cells i-1 and i, i = 0..nx); v[i * (ny + 1) + j]
 * for y-face j of column i (j = 0..ny).
 */
final class AcousticsSolver {
    private final int nx, ny;
    private final double dx, dy;
    private final double[] bulkModulus;
    private final AxisBoundary xBoundary, yBoundary;
    private final double[] xFaceInverseDensity, yFaceInverseDensity;
    private final double[] impedance;
    private final double maxSpeed;

    private double[] p;
    private double[] u, v; // at t - dt/2 (before the first step: at -dt/2)
    private double dt;

    AcousticsSolver(int nx, int ny, double lx, double ly, double[] density, double[] bulkModulus,
                    AxisBoundary xBoundary, AxisBoundary yBoundary) {
        this.nx = nx;
        this.ny = ny;
        this.dx = lx / nx;
        this.dy = ly / ny;
        this.bulkModulus = bulkModulus.clone();
        this.xBoundary = xBoundary;
        this.yBoundary = yBoundary;
        xFaceInverseDensity = new double[(nx + 1) * ny];
        for (int i = 0; i <= nx; i++)
            for (int j = 0; j < ny; j++) {
                int left = i == 0 ? (xBoundary.isPeriodic() ? nx - 1 : 0) : i - 1;
                int right = i == nx ? (xBoundary.isPeriodic() ? 0 : nx - 1) : i;
                xFaceInverseDensity[i * ny + j] = 2 / (density[left * ny + j] + density[right * ny + j]);
            }
        yFaceInverseDensity = new double[nx * (ny + 1)];
        for (int i = 0; i < nx; i++)
            for (int j = 0; j <= ny; j++) {
                int below = j == 0 ? (yBoundary.isPeriodic() ? ny - 1 : 0) : j - 1;
                int above = j == ny ? (yBoundary.isPeriodic() ? 0 : ny - 1) : j;
                yFaceInverseDensity[i * (ny + 1) + j] = 2 / (density[i * ny + below] + density[i * ny + above]);
            }
        impedance = new double[nx * ny];
        double fastest = 0;
        for (int c = 0; c < nx * ny; c++) {
            impedance[c] = Math.sqrt(bulkModulus[c] * density[c]);
            fastest = Math.max(fastest, Math.sqrt(bulkModulus[c] / density[c]));
        }
        maxSpeed = fastest;
        p = new double[nx * ny];
        u = new double[(nx + 1) * ny];
        v = new double[nx * (ny + 1)];
    }

    /** The leapfrog's stability limit: c_max dt sqrt(1/dx^2 + 1/dy^2) <= 1. */
    double maxStableStep() {
        return 1 / (maxSpeed * Math.sqrt(1 / (dx * dx) + 1 / (dy * dy)));
    }

    /** Pressure at t = 0 with the medium at rest; the face velocities at -dt/2 follow from du/dt = -grad p / rho. */
    void startFromRest(double[] pressure, double timeStep) {
        dt = timeStep;
        p = pressure.clone();
        u = new double[(nx + 1) * ny];
        v = new double[nx * (ny + 1)];
        double[] forward = new double[u.length], forwardV = new double[v.length];
        interiorVelocityUpdate(p, forward, forwardV, dt / 2);
        // the half step backwards is minus the half step forwards
        for (int f = 0; f < u.length; f++) u[f] = -forward[f];
        for (int f = 0; f < v.length; f++) v[f] = -forwardV[f];
    }

    /** Exact state for tests: pressure at t = 0 and face velocities at t = -dt/2. */
    void setState(double[] pressure, double[] xFaceVelocity, double[] yFaceVelocity, double timeStep) {
        dt = timeStep;
        p = pressure.clone();
        u = xFaceVelocity.clone();
        v = yFaceVelocity.clone();
    }

    void step() {
        double[] uNext = u.clone(), vNext = v.clone();
        interiorVelocityUpdate(p, uNext, vNext, dt);
        pressureUpdate(p, uNext, vNext);
        u = uNext;
        v = vNext;
    }

    /** u += dt * (-(1/rho) dp/dx) on every face whose neighbours both exist (periodic wrap included). */
    private void interiorVelocityUpdate(double[] pressure, double[] uOut, double[] vOut, double h) {
        boolean xPeriodic = xBoundary.isPeriodic(), yPeriodic = yBoundary.isPeriodic();
        for (int i = 0; i <= nx; i++) {
            boolean boundary = i == 0 || i == nx;
            if (boundary && !xPeriodic) continue;
            int left = i == 0 ? nx - 1 : i - 1, right = i == nx ? 0 : i;
            for (int j = 0; j < ny; j++) {
                int f = i * ny + j;
                uOut[f] -= h * xFaceInverseDensity[f] * (pressure[right * ny + j] - pressure[left * ny + j]) / dx;
            }
        }
        for (int i = 0; i < nx; i++)
            for (int j = 0; j <= ny; j++) {
                boolean boundary = j == 0 || j == ny;
                if (boundary && !yPeriodic) continue;
                int below = j == 0 ? ny - 1 : j - 1, above = j == ny ? 0 : j;
                int f = i * (ny + 1) + j;
                vOut[f] -= h * yFaceInverseDensity[f] * (pressure[i * ny + above] - pressure[i * ny + below]) / dy;
            }
    }

    /**
     * p^{n+1} = p^n - dt K div u^{n+1/2}. Open faces carry u_n = (p^n + p^{n+1}) / (2Z) outwards, which makes the
     * update of their cell implicit but local: solve the scalar equation, then store the face velocity.
     */
    private void pressureUpdate(double[] pressure, double[] uHalf, double[] vHalf) {
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++) {
                int c = i * ny + j;
                double k = bulkModulus[c];
                double z = impedance[c];
                double divergence = 0, openCoefficient = 0;
                // each open face contributes (p^n + p^{n+1}) / (2 Z d) to the outward flux
                if (i == 0 && xBoundary.lower() == BoundaryType.OPEN) openCoefficient += 1 / (2 * z * dx);
                else divergence -= uHalf[i * ny + j] / dx;
                if (i == nx - 1 && xBoundary.upper() == BoundaryType.OPEN) openCoefficient += 1 / (2 * z * dx);
                else divergence += uHalf[(i + 1) * ny + j] / dx;
                if (j == 0 && yBoundary.lower() == BoundaryType.OPEN) openCoefficient += 1 / (2 * z * dy);
                else divergence -= vHalf[i * (ny + 1) + j] / dy;
                if (j == ny - 1 && yBoundary.upper() == BoundaryType.OPEN) openCoefficient += 1 / (2 * z * dy);
                else divergence += vHalf[i * (ny + 1) + j + 1] / dy;
                double a = dt * k * openCoefficient;
                double old = pressure[c];
                double updated = (old * (1 - a) - dt * k * divergence) / (1 + a);
                pressure[c] = updated;
                double outflow = (old + updated) / (2 * z);
                if (i == 0 && xBoundary.lower() == BoundaryType.OPEN) uHalf[j] = -outflow;
                if (i == nx - 1 && xBoundary.upper() == BoundaryType.OPEN) uHalf[nx * ny + j] = outflow;
                if (j == 0 && yBoundary.lower() == BoundaryType.OPEN) vHalf[i * (ny + 1)] = -outflow;
                if (j == ny - 1 && yBoundary.upper() == BoundaryType.OPEN) vHalf[i * (ny + 1) + ny] = outflow;
            }
    }

    double[] pressure() {
        return p.clone();
    }

    /**
     * Velocity at cell centres and the current (integer) time: the mean of the two faces of each cell, each face
     * averaged over t - dt/2 and t + dt/2 (the latter from a trial step that is not kept).
     */
    void cellCentredVelocity(double[] velocityX, double[] velocityY) {
        double[] uNext = u.clone(), vNext = v.clone();
        interiorVelocityUpdate(p, uNext, vNext, dt);
        pressureUpdate(p.clone(), uNext, vNext);
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++) {
                int low = i * ny + j, high = (i + 1) * ny + j;
                velocityX[i * ny + j] = (u[low] + uNext[low] + u[high] + uNext[high]) / 4;
                int below = i * (ny + 1) + j;
                velocityY[i * ny + j] = (v[below] + vNext[below] + v[below + 1] + vNext[below + 1]) / 4;
            }
    }

    /**
     * The leapfrog invariant: sum p^2 / (2K) + sum rho_face u^{n-1/2} u^{n+1/2} / 2, times the cell area. Open
     * faces are not part of the state (their velocity follows from p), so they are left out; then the energy
     * changes only by the outflow through open faces, which is never negative.
     */
    double energy() {
        double[] uNext = u.clone(), vNext = v.clone();
        interiorVelocityUpdate(p, uNext, vNext, dt);
        pressureUpdate(p.clone(), uNext, vNext);
        double e = 0;
        for (int c = 0; c < nx * ny; c++) e += p[c] * p[c] / (2 * bulkModulus[c]);
        for (int i = firstStateFace(xBoundary), last = lastStateFace(xBoundary, nx); i <= last; i++)
            for (int j = 0; j < ny; j++) {
                int f = i * ny + j;
                e += u[f] * uNext[f] / (2 * xFaceInverseDensity[f]);
            }
        for (int i = 0; i < nx; i++)
            for (int j = firstStateFace(yBoundary), last = lastStateFace(yBoundary, ny); j <= last; j++) {
                int f = i * (ny + 1) + j;
                e += v[f] * vNext[f] / (2 * yFaceInverseDensity[f]);
            }
        return e * dx * dy;
    }

    /** A periodic axis stores its wrap face twice (0 and n): count it once, as face n. */
    private static int firstStateFace(AxisBoundary boundary) {
        return boundary.lower() == BoundaryType.WALL ? 0 : 1;
    }

    private static int lastStateFace(AxisBoundary boundary, int n) {
        return boundary.upper() == BoundaryType.OPEN ? n - 1 : n;
    }
}
