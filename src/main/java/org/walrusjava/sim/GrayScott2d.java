package org.walrusjava.sim;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Gray-Scott pattern formation after The Well's gray_scott_reaction_diffusion: D_A = 2e-5, D_B = 1e-5, one of four
 * of its (F, k) regimes per trajectory, frames 25 time units apart, random Gaussian clusters of B
 * in a sea of A. The grid spacing is fixed at 1/64 (a 128 grid spans [-1, 1] as in The Well; smaller grids show a
 * smaller window of the same patterns), so the patterns are equally well resolved at every resolution.
 */
public final class GrayScott2d implements SimulatedSystem {
    private static final double SPACING = 1.0 / 64;
    private static final double DIFFUSION_A = 2e-5, DIFFUSION_B = 1e-5;
    /**
     * (F, k) of The Well's regimes gliders, maze, spirals, spots. Its "bubbles" (0.098, 0.057) and "worms"
     * (0.058, 0.065) are left out: from blob initial states they settle within a few frames (persistence VRMSE
     * 0.003 and 0.03), too static to learn anything from.
     */
    private static final double[][] REGIMES = {{0.014, 0.054}, {0.029, 0.057}, {0.018, 0.051}, {0.030, 0.062}};
    private static final double TIME_STEP = 2.5;
    private static final int STEPS_PER_FRAME = 6;
    /**
     * Steps run before the first saved frame. The Gaussian blobs first relax abruptly (over the first frames,
     * extrapolating the last change does twice as badly as persistence); trajectories start once patterns grow.
     */
    private static final int SPIN_UP_STEPS = 100;

    @Override
    public String name() {
        return "gray_scott_2d";
    }

    @Override
    public int nSpatialDims() {
        return 2;
    }

    @Override
    public List<FieldGroup> fields() {
        return List.of(FieldGroup.scalar("A"), FieldGroup.scalar("B"));
    }

    @Override
    public List<AxisBoundary> boundaries() {
        return List.of(AxisBoundary.periodic(), AxisBoundary.periodic());
    }

    @Override
    public double frameInterval() {
        return TIME_STEP * STEPS_PER_FRAME;
    }

    @Override
    public int defaultResolution() {
        return 128;
    }

    @Override
    public Trajectory simulate(long seed, int resolution, int frames, IntConsumer framesDone) {
        int n = resolution;
        double half = n * SPACING / 2;
        double[] axis = TrajectoryRecorder.cellCentres(n, -half, half);
        TrajectoryRecorder recorder = new TrajectoryRecorder(this, n, frames, List.of(axis, axis));
        SplittableRandom rng = new SplittableRandom(seed);
        double[] regime = REGIMES[rng.nextInt(REGIMES.length)];
        recorder.parameter("F", regime[0]);
        recorder.parameter("k", regime[1]);

        GrayScottSolver solver = new GrayScottSolver(n, SPACING, DIFFUSION_A, DIFFUSION_B, regime[0], regime[1]);
        double[][] initial = gaussianClusters(rng, axis, 2 * half);
        solver.setState(initial[0], initial[1]);
        for (int s = 0; s < SPIN_UP_STEPS; s++) solver.step(TIME_STEP);
        for (int step = 0; step < frames; step++) {
            if (step > 0) for (int s = 0; s < STEPS_PER_FRAME; s++) solver.step(TIME_STEP);
            double t = step * frameInterval();
            recorder.record(step, t, "A", solver.speciesA());
            recorder.record(step, t, "B", solver.speciesB());
            framesDone.accept(step + 1);
        }
        return recorder.build();
    }

    /**
     * A = 1, B = 0 except in Gaussian blobs (3 to 10 per unit area, at least three, widths 0.02 to 0.06) where B rises
     * towards 0.5 and A drops by as much; blobs wrap around the periodic box.
     */
    private static double[][] gaussianClusters(SplittableRandom rng, double[] axis, double side) {
        int n = axis.length;
        double[] a = new double[n * n], b = new double[n * n];
        int blobs = Math.max(3, (int) Math.round(side * side * RandomFields.uniform(rng, 3, 10)));
        for (int k = 0; k < blobs; k++) {
            double cx = RandomFields.uniform(rng, -side / 2, side / 2), cy = RandomFields.uniform(rng, -side / 2, side / 2);
            double width = RandomFields.uniform(rng, 0.02, 0.06);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double dx = wrap(axis[i] - cx, side), dy = wrap(axis[j] - cy, side);
                    b[i * n + j] += 0.5 * Math.exp(-(dx * dx + dy * dy) / (2 * width * width));
                }
        }
        for (int p = 0; p < n * n; p++) {
            b[p] = Math.min(b[p], 0.5);
            a[p] = 1 - b[p];
        }
        return new double[][] {a, b};
    }

    private static double wrap(double d, double side) {
        return d - side * Math.rint(d / side);
    }
}
