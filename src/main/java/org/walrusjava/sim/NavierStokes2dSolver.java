package org.walrusjava.sim;

/**
 * Incompressible Navier-Stokes on the periodic square [0, 2 pi)^2 (unit density) in vorticity form, with a passive
 * tracer:
 *
 * <pre>
 *   d omega/dt + u . grad omega = nu lap omega,     omega = dv/dx - du/dy,   u = d psi/dy, v = -d psi/dx, -lap psi = omega
 *   d c/dt     + u . grad c     = kappa lap c
 * </pre>
 *
 * Pseudo-spectral: products in physical space, everything else in Fourier space, 2/3-rule dealiasing. Time
 * stepping is fourth-order Runge-Kutta on the integrating-factor form, so diffusion is integrated exactly (a
 * Taylor-Green vortex, whose advection term vanishes, decays exactly as exp(-2 nu k^2 t)). The k = 0 mode of the
 * advection terms is physically zero (they are divergences) and is set to zero, so the tracer mass is
 * conserved to round-off. Pressure solves lap p = 2 (u_x v_y - u_y v_x) spectrally, with zero mean.
 */
final class NavierStokes2dSolver {
    /** Fraction of the RK4 stability limit on the imaginary axis used for the step. */
    private static final double CFL = 0.8;
    private static final double RK4_IMAGINARY_LIMIT = 2.8;

    private final SpectralGrid2d grid;
    private final int size;
    private final double viscosity;
    private final double diffusivity;
    private final double[] kSquared;
    private final boolean[] resolved;
    // spectral state: vorticity and tracer, real and imaginary parts
    private final double[][] state;
    private final double[][] k1, k2, k3, k4, trial;
    // spectral and physical scratch arrays
    private final double[] a, b, c, d, e, f, g, h;
    private final double[] u, v, fx, fy, gx, gy;
    private final double[] decayVorticity, decayTracer;
    private double decayStep = Double.NaN;
    private double time;

    NavierStokes2dSolver(int n, double viscosity, double diffusivity) {
        this.grid = new SpectralGrid2d(n, n);
        this.size = grid.size;
        this.viscosity = viscosity;
        this.diffusivity = diffusivity;
        kSquared = new double[size];
        resolved = new boolean[size];
        for (int p = 0; p < size; p++) {
            kSquared[p] = grid.kx(p) * grid.kx(p) + grid.ky(p) * grid.ky(p);
            resolved[p] = grid.resolved(p);
        }
        state = new double[4][size];
        k1 = new double[4][size];
        k2 = new double[4][size];
        k3 = new double[4][size];
        k4 = new double[4][size];
        trial = new double[4][size];
        a = new double[size];
        b = new double[size];
        c = new double[size];
        d = new double[size];
        e = new double[size];
        f = new double[size];
        g = new double[size];
        h = new double[size];
        u = new double[size];
        v = new double[size];
        fx = new double[size];
        fy = new double[size];
        gx = new double[size];
        gy = new double[size];
        decayVorticity = new double[size];
        decayTracer = new double[size];
    }

    int n() {
        return grid.nx;
    }

    double time() {
        return time;
    }

    /** Sets vorticity and tracer from physical values (dealiased on the way in). */
    void setState(double[] vorticity, double[] tracer) {
        grid.forwardPair(vorticity, tracer, state[0], state[1], state[2], state[3]);
        for (double[] component : state) truncate(component);
        time = 0;
    }

    /** Multiplies the flow (vorticity, hence velocity) by {@code factor}; the tracer is unchanged. */
    void scaleVorticity(double factor) {
        for (int p = 0; p < size; p++) {
            state[0][p] *= factor;
            state[1][p] *= factor;
        }
    }

    private void truncate(double[] spectrum) {
        for (int p = 0; p < size; p++) if (!resolved[p]) spectrum[p] = 0;
    }

    /** Advances by {@code duration} in equal steps no longer than the CFL limit at the current velocity. */
    void advance(double duration) {
        velocity(u, v);
        double speed = 0;
        for (int p = 0; p < size; p++) speed = Math.max(speed, Math.abs(u[p]) + Math.abs(v[p]));
        double kMax = grid.nx / 3.0;
        double maxStep = speed == 0 ? duration : CFL * RK4_IMAGINARY_LIMIT / (kMax * speed);
        int steps = (int) Math.ceil(duration / maxStep - 1e-9);
        for (int s = 0; s < steps; s++) step(duration / steps);
    }

    /** One integrating-factor RK4 step: with E = exp(L dt/2), the stages see the linear part exactly. */
    void step(double dt) {
        if (dt != decayStep) {
            for (int p = 0; p < size; p++) {
                decayVorticity[p] = Math.exp(-viscosity * kSquared[p] * dt / 2);
                decayTracer[p] = Math.exp(-diffusivity * kSquared[p] * dt / 2);
            }
            decayStep = dt;
        }
        double[][] decay = {decayVorticity, decayVorticity, decayTracer, decayTracer};

        advection(state, k1);
        for (int q = 0; q < 4; q++)
            for (int p = 0; p < size; p++) trial[q][p] = decay[q][p] * (state[q][p] + dt / 2 * k1[q][p]);
        advection(trial, k2);
        for (int q = 0; q < 4; q++)
            for (int p = 0; p < size; p++) trial[q][p] = decay[q][p] * state[q][p] + dt / 2 * k2[q][p];
        advection(trial, k3);
        for (int q = 0; q < 4; q++)
            for (int p = 0; p < size; p++) {
                double half = decay[q][p];
                trial[q][p] = half * (half * state[q][p] + dt * k3[q][p]);
            }
        advection(trial, k4);
        for (int q = 0; q < 4; q++)
            for (int p = 0; p < size; p++) {
                double half = decay[q][p];
                state[q][p] = half * (half * (state[q][p] + dt / 6 * k1[q][p])
                        + dt / 3 * (k2[q][p] + k3[q][p])) + dt / 6 * k4[q][p];
            }
        time += dt;
    }

    /** Spectra of -(u . grad omega) and -(u . grad c) for the spectral state {@code s}, dealiased. */
    private void advection(double[][] s, double[][] out) {
        velocitySpectra(s, a, b, c, d);
        grid.inversePair(a, b, c, d, u, v);
        gradient(s[0], s[1], a, b, c, d);
        grid.inversePair(a, b, c, d, fx, fy);
        gradient(s[2], s[3], a, b, c, d);
        grid.inversePair(a, b, c, d, gx, gy);
        for (int p = 0; p < size; p++) {
            fx[p] = -(u[p] * fx[p] + v[p] * fy[p]);
            gx[p] = -(u[p] * gx[p] + v[p] * gy[p]);
        }
        grid.forwardPair(fx, gx, out[0], out[1], out[2], out[3]);
        for (double[] component : out) {
            truncate(component);
            component[0] = 0;
        }
    }

    /** u-hat = i k_y psi-hat, v-hat = -i k_x psi-hat with psi-hat = omega-hat / |k|^2. */
    private void velocitySpectra(double[][] s, double[] uRe, double[] uIm, double[] vRe, double[] vIm) {
        for (int p = 0; p < size; p++) {
            double inv = kSquared[p] == 0 ? 0 : 1 / kSquared[p];
            double psiRe = s[0][p] * inv, psiIm = s[1][p] * inv;
            double kx = grid.kx(p), ky = grid.ky(p);
            uRe[p] = -ky * psiIm;
            uIm[p] = ky * psiRe;
            vRe[p] = kx * psiIm;
            vIm[p] = -kx * psiRe;
        }
    }

    /** Spectra of d/dx and d/dy of a field given by its spectrum. */
    private void gradient(double[] re, double[] im, double[] xRe, double[] xIm, double[] yRe, double[] yIm) {
        for (int p = 0; p < size; p++) {
            double kx = grid.kx(p), ky = grid.ky(p);
            xRe[p] = -kx * im[p];
            xIm[p] = kx * re[p];
            yRe[p] = -ky * im[p];
            yIm[p] = ky * re[p];
        }
    }

    void velocity(double[] velocityX, double[] velocityY) {
        velocitySpectra(state, a, b, c, d);
        grid.inversePair(a, b, c, d, velocityX, velocityY);
    }

    void vorticityAndTracer(double[] vorticity, double[] tracer) {
        grid.inversePair(state[0], state[1], state[2], state[3], vorticity, tracer);
    }

    /** Kinematic pressure (unit density) with zero mean, from lap p = 2 (u_x v_y - u_y v_x). */
    void pressure(double[] out) {
        velocitySpectra(state, e, f, g, h);
        gradient(e, f, a, b, c, d);
        grid.inversePair(a, b, c, d, fx, fy);
        gradient(g, h, a, b, c, d);
        grid.inversePair(a, b, c, d, gx, gy);
        for (int p = 0; p < size; p++) fx[p] = 2 * (fx[p] * gy[p] - fy[p] * gx[p]);
        java.util.Arrays.fill(fy, 0);
        grid.forwardPair(fx, fy, a, b, c, d);
        for (int p = 0; p < size; p++) {
            double factor = kSquared[p] == 0 || !resolved[p] ? 0 : -1 / kSquared[p];
            a[p] *= factor;
            b[p] *= factor;
            c[p] = 0;
            d[p] = 0;
        }
        grid.inversePair(a, b, c, d, out, fy);
    }
}
