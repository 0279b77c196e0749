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
    // scratch: a vector's spectrum (x and y components, real and imaginary), the velocity spectrum, and physical
    // velocity and two gradients
    private final double[] vecXRe, vecXIm, vecYRe, vecYIm;
    private final double[] uHatRe, uHatIm, vHatRe, vHatIm;
    private final double[] u, v, gradX, gradY, secondGradX, secondGradY;
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
        vecXRe = new double[size];
        vecXIm = new double[size];
        vecYRe = new double[size];
        vecYIm = new double[size];
        uHatRe = new double[size];
        uHatIm = new double[size];
        vHatRe = new double[size];
        vHatIm = new double[size];
        u = new double[size];
        v = new double[size];
        gradX = new double[size];
        gradY = new double[size];
        secondGradX = new double[size];
        secondGradY = new double[size];
        decayVorticity = new double[size];
        decayTracer = new double[size];
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
        velocitySpectra(s, vecXRe, vecXIm, vecYRe, vecYIm);
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, u, v);
        gradient(s[0], s[1], vecXRe, vecXIm, vecYRe, vecYIm);
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, gradX, gradY);
        gradient(s[2], s[3], vecXRe, vecXIm, vecYRe, vecYIm);
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, secondGradX, secondGradY);
        // the advection terms of omega and c overwrite the x parts of their gradients
        for (int p = 0; p < size; p++) {
            gradX[p] = -(u[p] * gradX[p] + v[p] * gradY[p]);
            secondGradX[p] = -(u[p] * secondGradX[p] + v[p] * secondGradY[p]);
        }
        grid.forwardPair(gradX, secondGradX, out[0], out[1], out[2], out[3]);
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
        velocitySpectra(state, vecXRe, vecXIm, vecYRe, vecYIm);
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, velocityX, velocityY);
    }

    void vorticityAndTracer(double[] vorticity, double[] tracer) {
        grid.inversePair(state[0], state[1], state[2], state[3], vorticity, tracer);
    }

    /** Kinematic pressure (unit density) with zero mean, from lap p = 2 (u_x v_y - u_y v_x). */
    void pressure(double[] out) {
        velocitySpectra(state, uHatRe, uHatIm, vHatRe, vHatIm);
        gradient(uHatRe, uHatIm, vecXRe, vecXIm, vecYRe, vecYIm);
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, gradX, gradY);
        gradient(vHatRe, vHatIm, vecXRe, vecXIm, vecYRe, vecYIm);
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, secondGradX, secondGradY);
        // (u_x, u_y) in gradX/gradY, (v_x, v_y) in secondGradX/secondGradY; the source overwrites gradX
        for (int p = 0; p < size; p++) gradX[p] = 2 * (gradX[p] * secondGradY[p] - gradY[p] * secondGradX[p]);
        java.util.Arrays.fill(gradY, 0);
        grid.forwardPair(gradX, gradY, vecXRe, vecXIm, vecYRe, vecYIm);
        for (int p = 0; p < size; p++) {
            double factor = kSquared[p] == 0 || !resolved[p] ? 0 : -1 / kSquared[p];
            vecXRe[p] *= factor;
            vecXIm[p] *= factor;
            vecYRe[p] = 0;
            vecYIm[p] = 0;
        }
        grid.inversePair(vecXRe, vecXIm, vecYRe, vecYIm, out, gradY);
    }
}
