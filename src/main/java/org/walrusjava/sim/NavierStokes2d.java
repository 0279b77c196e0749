package org.walrusjava.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Decaying two-dimensional turbulence stirring a passive tracer in a periodic box [0, 2 pi)^2
 * ({@link NavierStokes2dSolver}). Per trajectory the seed draws the viscosity, the tracer's Schmidt number, the
 * wavenumber where the initial energy peaks, a random-phase initial vorticity (normalised to unit RMS velocity)
 * and a tracer pattern with sharp fronts.
 */
public final class NavierStokes2d implements SimulatedSystem {
    private static final double FRAME_INTERVAL = 0.05;

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
    public Trajectory simulate(long seed, int resolution, int frames, IntConsumer framesDone) {
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

        int points = resolution * resolution;
        double[] u = new double[points], v = new double[points], p = new double[points], w = new double[points];
        // unit RMS velocity for every draw keeps the frame interval equally meaningful
        solver.velocity(u, v);
        double sumSq = 0;
        for (int q = 0; q < points; q++) sumSq += u[q] * u[q] + v[q] * v[q];
        solver.scaleVorticity(1 / Math.sqrt(sumSq / points));
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
            framesDone.accept(step + 1);
        }
        return recorder.build();
    }

    /**
     * Gaussian random Fourier coefficients of size k^2 exp(-(k / peak)^2): an energy spectrum
     * ~ k^3 exp(-2 (k / peak)^2) that peaks near the drawn wavenumber. The real part of the inverse transform is the
     * field of the Hermitian part of that spectrum, so it has the same statistics.
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
}
