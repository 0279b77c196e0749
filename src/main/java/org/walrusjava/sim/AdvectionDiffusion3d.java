package org.walrusjava.sim;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * A density stirred by a steady ABC (Arnold-Beltrami-Childress) flow in the periodic unit box, diffusing as it
 * goes ({@link AdvectionDiffusion3dSolver}):
 *
 * <pre>
 *   u = A sin(2 pi z + a) + C cos(2 pi y + c)
 *   v = B sin(2 pi x + b) + A cos(2 pi z + a)
 *   w = C sin(2 pi y + c) + B cos(2 pi x + b)
 * </pre>
 *
 * Each component is independent of its own coordinate, so the discrete face velocities are exactly divergence
 * free. The seed draws A, B, C in [0.4, 1], the phases, the diffusivity and a smooth positive initial
 * density. (A flow with two cells per box homogenises the density within a few frames at 16^3.) The velocity is written as a constant vector field.
 */
public final class AdvectionDiffusion3d implements SimulatedSystem {
    private static final double FRAME_INTERVAL = 0.0125;

    @Override
    public String name() {
        return "advection_diffusion_3d";
    }

    @Override
    public int nSpatialDims() {
        return 3;
    }

    @Override
    public List<FieldGroup> fields() {
        return List.of(FieldGroup.scalar("density"), FieldGroup.vector("velocity", spatialDims()).asConstant());
    }

    @Override
    public List<AxisBoundary> boundaries() {
        return List.of(AxisBoundary.periodic(), AxisBoundary.periodic(), AxisBoundary.periodic());
    }

    @Override
    public double frameInterval() {
        return FRAME_INTERVAL;
    }

    @Override
    public int defaultResolution() {
        return 64;
    }

    @Override
    public Trajectory simulate(long seed, int resolution, int frames, IntConsumer framesDone) {
        int n = resolution;
        double[] axis = TrajectoryRecorder.cellCentres(n, 0, 1);
        TrajectoryRecorder recorder = new TrajectoryRecorder(this, n, frames, List.of(axis, axis, axis));
        SplittableRandom rng = new SplittableRandom(seed);
        double diffusivity = RandomFields.logUniform(rng, 5e-4, 2e-3);
        double amplitudeA = RandomFields.uniform(rng, 0.4, 1), amplitudeB = RandomFields.uniform(rng, 0.4, 1),
                amplitudeC = RandomFields.uniform(rng, 0.4, 1);
        double phaseA = RandomFields.uniform(rng, 0, 2 * Math.PI), phaseB = RandomFields.uniform(rng, 0, 2 * Math.PI),
                phaseC = RandomFields.uniform(rng, 0, 2 * Math.PI);
        recorder.parameter("diffusivity", diffusivity);
        recorder.parameter("abc_A", amplitudeA);
        recorder.parameter("abc_B", amplitudeB);
        recorder.parameter("abc_C", amplitudeC);

        // per-axis waves of the flow, evaluated at cell centres (the face values too: see the class comment)
        double[] sinA = new double[n], cosA = new double[n], sinB = new double[n], cosB = new double[n],
                sinC = new double[n], cosC = new double[n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * axis[i];
            sinA[i] = amplitudeA * Math.sin(angle + phaseA);
            cosA[i] = amplitudeA * Math.cos(angle + phaseA);
            sinB[i] = amplitudeB * Math.sin(angle + phaseB);
            cosB[i] = amplitudeB * Math.cos(angle + phaseB);
            sinC[i] = amplitudeC * Math.sin(angle + phaseC);
            cosC[i] = amplitudeC * Math.cos(angle + phaseC);
        }
        int cells = n * n * n;
        double[][] velocity = new double[3][cells];
        for (int i = 0, p = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++, p++) {
                    velocity[0][p] = sinA[k] + cosC[j];
                    velocity[1][p] = sinB[i] + cosA[k];
                    velocity[2][p] = sinC[j] + cosB[i];
                }
        recorder.constant("velocity_x", velocity[0]);
        recorder.constant("velocity_y", velocity[1]);
        recorder.constant("velocity_z", velocity[2]);

        AdvectionDiffusion3dSolver solver = new AdvectionDiffusion3dSolver(n, velocity, diffusivity);
        double[] density = RandomFields.fourierModes(rng, new int[] {n, n, n}, 3, 16);
        for (int p = 0; p < cells; p++) density[p] = Math.exp(0.5 * density[p]);
        solver.setDensity(density);
        for (int step = 0; step < frames; step++) {
            if (step > 0) solver.advance(FRAME_INTERVAL);
            recorder.record(step, step * FRAME_INTERVAL, "density", solver.density());
            framesDone.accept(step + 1);
        }
        return recorder.build();
    }
}
