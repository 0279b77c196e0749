package org.walrusjava.sim;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Acoustic scattering in a heterogeneous medium on [-1, 1]^2, after The Well's acoustic_scattering sets: bulk
 * modulus K = 4 everywhere, a random density (smooth background plus sharp elliptical inclusions), so the speed of
 * sound sqrt(K / rho) varies, and one to four pressure rings released from rest. Solved by
 * {@link AcousticsSolver}. Walrus sees the speed of sound; the density is written too and its datasets turn it
 * into zeros_like_density.
 */
public final class Acoustics2d implements SimulatedSystem {
    private static final double BULK_MODULUS = 4;
    private static final double FRAME_INTERVAL = 0.01;
    /** Fraction of the leapfrog stability limit used for the time step. */
    private static final double CFL = 0.9;

    private final String name;
    private final List<AxisBoundary> boundaries;

    /** Open in x and reflecting walls in y, as The Well's acoustic_scattering metadata lists them. */
    public Acoustics2d() {
        this("acoustics_2d", List.of(AxisBoundary.open(), AxisBoundary.walls()));
    }

    public Acoustics2d(String name, List<AxisBoundary> boundaries) {
        if (boundaries.size() != 2) throw new IllegalArgumentException("2-D acoustics needs 2 axis boundaries");
        this.name = name;
        this.boundaries = List.copyOf(boundaries);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int nSpatialDims() {
        return 2;
    }

    @Override
    public List<FieldGroup> fields() {
        return List.of(FieldGroup.scalar("pressure"), FieldGroup.vector("velocity", spatialDims()),
                FieldGroup.scalar("density").asConstant(), FieldGroup.scalar("speed_of_sound").asConstant());
    }

    @Override
    public List<AxisBoundary> boundaries() {
        return boundaries;
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
        int n = resolution;
        double[] axis = TrajectoryRecorder.cellCentres(n, -1, 1);
        TrajectoryRecorder recorder = new TrajectoryRecorder(this, n, frames, List.of(axis, axis));
        SplittableRandom rng = new SplittableRandom(seed);
        recorder.parameter("bulk_modulus", BULK_MODULUS);

        double[] density = randomDensity(rng, axis, recorder);
        double[] bulk = new double[n * n], speed = new double[n * n];
        java.util.Arrays.fill(bulk, BULK_MODULUS);
        for (int c = 0; c < n * n; c++) speed[c] = Math.sqrt(BULK_MODULUS / density[c]);
        recorder.constant("density", density);
        recorder.constant("speed_of_sound", speed);

        AcousticsSolver solver = new AcousticsSolver(n, n, 2, 2, density, bulk, boundaries.get(0), boundaries.get(1));
        int substeps = (int) Math.ceil(FRAME_INTERVAL / (CFL * solver.maxStableStep()));
        solver.startFromRest(pressureRings(rng, axis, recorder), FRAME_INTERVAL / substeps);

        double[] u = new double[n * n], v = new double[n * n];
        for (int step = 0; step < frames; step++) {
            if (step > 0) for (int s = 0; s < substeps; s++) solver.step();
            double t = step * FRAME_INTERVAL;
            solver.cellCentredVelocity(u, v);
            recorder.record(step, t, "pressure", solver.pressure());
            recorder.record(step, t, "velocity_x", u);
            recorder.record(step, t, "velocity_y", v);
            framesDone.accept(step + 1);
        }
        return recorder.build();
    }

    /**
     * A smooth background (constant, bilinear between random corner values, or a Gaussian bump), rho in [1, 7],
     * plus up to 6 rotated elliptical inclusions with ln rho uniform in [-0.5, 6] (light, fast pockets to nearly
     * rigid obstacles).
     */
    private static double[] randomDensity(SplittableRandom rng, double[] axis, TrajectoryRecorder recorder) {
        int n = axis.length;
        double[] rho = new double[n * n];
        int kind = rng.nextInt(3);
        double[] corner = new double[4];
        for (int c = 0; c < 4; c++) corner[c] = RandomFields.uniform(rng, 1, 7);
        double bumpX = RandomFields.uniform(rng, -1, 1), bumpY = RandomFields.uniform(rng, -1, 1);
        double bumpWidth = RandomFields.uniform(rng, 0.2, 1);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double sx = (axis[i] + 1) / 2, sy = (axis[j] + 1) / 2;
                rho[i * n + j] = switch (kind) {
                    case 0 -> corner[0];
                    case 1 -> (1 - sx) * ((1 - sy) * corner[0] + sy * corner[1])
                            + sx * ((1 - sy) * corner[2] + sy * corner[3]);
                    default -> {
                        double r2 = (axis[i] - bumpX) * (axis[i] - bumpX) + (axis[j] - bumpY) * (axis[j] - bumpY);
                        yield corner[0] + (corner[1] - corner[0]) * Math.exp(-r2 / (2 * bumpWidth * bumpWidth));
                    }
                };
            }
        int inclusions = rng.nextInt(7);
        for (int e = 0; e < inclusions; e++) {
            double cx = RandomFields.uniform(rng, -1, 1), cy = RandomFields.uniform(rng, -1, 1);
            double a = RandomFields.uniform(rng, 0.05, 0.3), b = RandomFields.uniform(rng, 0.05, 0.3);
            double angle = RandomFields.uniform(rng, -Math.PI / 4, Math.PI / 4);
            double value = Math.exp(RandomFields.uniform(rng, -0.5, 6));
            double cos = Math.cos(angle), sin = Math.sin(angle);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double x = axis[i] - cx, y = axis[j] - cy;
                    double along = x * cos + y * sin, across = -x * sin + y * cos;
                    if ((along / a) * (along / a) + (across / b) * (across / b) <= 1) rho[i * n + j] = value;
                }
        }
        recorder.parameter("background_kind", kind);
        recorder.parameter("inclusions", inclusions);
        return rho;
    }

    /**
     * One to four rings p = A exp(-((r - R) / w)^2), A in [0.5, 2], R in [0, 0.2], w in [0.08, 0.15], centred in
     * [-0.6, 0.6]^2 so they start (nearly) clear of the boundaries.
     */
    private static double[] pressureRings(SplittableRandom rng, double[] axis, TrajectoryRecorder recorder) {
        int n = axis.length;
        double[] p = new double[n * n];
        int rings = 1 + rng.nextInt(4);
        for (int r = 0; r < rings; r++) {
            double cx = RandomFields.uniform(rng, -0.6, 0.6), cy = RandomFields.uniform(rng, -0.6, 0.6);
            double amplitude = RandomFields.uniform(rng, 0.5, 2);
            double radius = RandomFields.uniform(rng, 0, 0.2), width = RandomFields.uniform(rng, 0.08, 0.15);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double d = (Math.hypot(axis[i] - cx, axis[j] - cy) - radius) / width;
                    p[i * n + j] += amplitude * Math.exp(-d * d);
                }
        }
        recorder.parameter("rings", rings);
        return p;
    }
}
