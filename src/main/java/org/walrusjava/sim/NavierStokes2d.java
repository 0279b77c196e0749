package org.walrusjava.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decaying two-dimensional turbulence stirring a passive tracer in a periodic box [0, 2 pi)^2
 * ({@link NavierStokes2dSolver}). Per trajectory the seed draws the viscosity, the tracer's Schmidt number, the
 * wavenumber where the initial energy peaks, a random-phase initial vorticity (normalised to unit RMS velocity)
 * and a tracer pattern with sharp fronts.
 */
public final class NavierStokes2d implements SimulatedSystem {
    private static final double FRAME_INTERVAL = 0.1;

    @Override
    public String name() {
        return "navier_stokes_2d";
    }

    @Override
    public int nSpatialDims() {
        return 2;
    }

    @Override
    public List<FieldGroup> fields() {
        return List.of(FieldGroup.scalar("pressure"), FieldGroup.scalar("tracer"),
                FieldGroup.vector("velocity", spatialDims()));
    }

    @Override
    public List<AxisBoundary> boundaries() {
        return List.of(AxisBoundary.periodic(), AxisBoundary.periodic());
    }

    @Override
    public double frameInterval() {
        return FRAME_INTERVAL;
    }

    @Override
    public int defaultResolution() {
        return 128;
    }

    @Override
    public Trajectory simulate(long seed, int resolution, int frames) {
        double[] axis = new double[resolution];
        for (int i = 0; i < resolution; i++) axis[i] = SpectralGrid2d.coordinate(i, resolution);
        TrajectoryRecorder recorder = new TrajectoryRecorder(this, resolution, frames, List.of(axis, axis));
        SplittableRandom rng = new SplittableRandom(seed);
        double viscosity = RandomFields.logUniform(rng, 1e-3, 4e-3);
        double schmidt = RandomFields.uniform(rng, 0.5, 2);
        double peak = RandomFields.uniform(rng, 3, 6);
        recorder.parameter("viscosity", viscosity);
        recorder.parameter("schmidt_number", schmidt);
        recorder.parameter("peak_wavenumber", peak);

        NavierStokes2dSolver solver = new NavierStokes2dSolver(resolution, viscosity, viscosity / schmidt);
        double[] tracer = RandomFields.fourierModes(rng, new int[] {resolution, resolution}, 4, 12);
        for (int p = 0; p < tracer.length; p++) tracer[p] = Math.tanh(2 * tracer[p]);
        solver.setState(initialVorticity(rng, resolution, peak), tracer);
        normaliseVelocity(solver, resolution, tracer);

        int points = resolution * resolution;
        double[] u = new double[points], v = new double[points], p = new double[points], w = new double[points];
        for (int step = 0; step < frames; step++) {
            if (step > 0) solver.advance(FRAME_INTERVAL);
            double t = step * FRAME_INTERVAL;
            solver.velocity(u, v);
            solver.pressure(p);
            solver.vorticityAndTracer(w, tracer);
            recorder.record(step, t, "pressure", p);
            recorder.record(step, t, "tracer", tracer);
            recorder.record(step, t, "velocity_x", u);
            recorder.record(step, t, "velocity_y", v);
        }
        return recorder.build();
    }

    /**
     * Random phases with an energy spectrum ~ k^4 exp(-2 (k / peak)^2), i.e. vorticity amplitudes
     * ~ k^2 exp(-(k / peak)^2) per mode up to a 1/sqrt(k) shell-density factor that we fold into the randomness.
     */
    private static double[] initialVorticity(SplittableRandom rng, int n, double peak) {
        SpectralGrid2d grid = new SpectralGrid2d(n, n);
        double[] re = new double[grid.size], im = new double[grid.size];
        for (int p = 0; p < grid.size; p++) {
            double k = Math.hypot(grid.kx(p), grid.ky(p));
            double amplitude = k * k * Math.exp(-(k / peak) * (k / peak));
            re[p] = amplitude * rng.nextGaussian();
            im[p] = amplitude * rng.nextGaussian();
        }
        grid.inverse(re, im);
        return re;
    }

    /** Rescales the vorticity so the RMS velocity is 1 (keeps the frame interval meaningful for every draw). */
    private static void normaliseVelocity(NavierStokes2dSolver solver, int n, double[] tracer) {
        int points = n * n;
        double[] u = new double[points], v = new double[points], w = new double[points];
        solver.velocity(u, v);
        double sumSq = 0;
        for (int p = 0; p < points; p++) sumSq += u[p] * u[p] + v[p] * v[p];
        double rms = Math.sqrt(sumSq / points);
        solver.vorticityAndTracer(w, tracer);
        for (int p = 0; p < points; p++) w[p] /= rms;
        solver.setState(w, tracer);
    }
}
