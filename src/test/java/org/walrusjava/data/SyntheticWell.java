package org.walrusjava.data;

import java.util.List;
import org.walrusjava.data.WellSpec.BoundaryGroup;
import org.walrusjava.data.WellSpec.Field;
import org.walrusjava.data.WellSpec.Scalar;

/**
 * A small 3-D Well file using every feature of the layout the fixtures do not: per-trajectory time, a field missing
 * an axis, time-only and trajectory-only fields, a symmetric rank-2 field, an obstacle mask over two axes, integer
 * and string simulation parameters, a scalar varying per trajectory and step.
 */
final class SyntheticWell {
    static final int NX = 4, NY = 3, NZ = 2, TRAJECTORIES = 2, STEPS = 3;

    static WellSpec spec() {
        boolean[] obstacle = new boolean[NX * NY];
        obstacle[1 * NY + 1] = true;
        obstacle[2 * NY + 1] = true;
        return WellSpec.builder("synthetic3d", "cartesian")
                .trajectories(TRAJECTORIES)
                .spatialDim("x", 0.125f, 0.375f, 0.625f, 0.875f)
                .spatialDim("y", 0f, 0.5f, 1f)
                .spatialDim("z", -1f, 1f)
                .time(WellSpec.Time.perTrajectory(new float[][] {{0f, 0.1f, 0.2f}, {0f, 0.2f, 0.4f}}))
                .simulationParameter("alpha", 0.5)
                .simulationParameter("resolution", 64)
                .simulationParameter("solver", "spectral")
                .scalar(Scalar.constant("alpha", 0.5f))
                .scalar(new Scalar("energy", true, true, new float[] {1f, 0.9f, 0.8f, 2f, 1.8f, 1.6f}))
                .boundary(BoundaryGroup.bothFaces("x_periodic", "PERIODIC", "x", NX))
                .boundary(BoundaryGroup.bothFaces("y_wall", "WALL", "y", NY).withValues(List.of("rho"), 1f, 0f))
                .boundary(BoundaryGroup.bothFaces("z_open", "open", "z", NZ))
                .boundary(new BoundaryGroup("obstacle", "WALL", List.of("x", "y"), List.of(), obstacle,
                        new float[] {0f, 0f}))
                .field(Field.of("rho", 0))
                .field(Field.of("bathymetry", 0).constant().dimVarying(true, true, false))
                .field(Field.of("forcing", 0).varying(false, true))
                .field(Field.of("u", 1))
                .field(Field.of("u0", 1).varying(true, false))
                .field(Field.of("sigma", 2).symmetry(true, false))
                .build();
    }

    /** Deterministic, distinct per field, trajectory, step and element; exactly representable steps of 1/64. */
    static float value(Field field, int trajectory, int step, int element) {
        return field.name().length() * 100 + trajectory * 10 + step + element / 64f;
    }

    static float[] frame(WellSpec spec, Field field, int trajectory, int step) {
        float[] frame = new float[field.frameLength(spec)];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = value(field, trajectory, step, i);
        }
        return frame;
    }

    static WellWriter.FrameSource frames(WellSpec spec) {
        return (field, trajectory, step, out) -> out.put(frame(spec, field, trajectory, step));
    }
}
