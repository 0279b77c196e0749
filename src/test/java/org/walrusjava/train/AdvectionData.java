package org.walrusjava.train;

import java.nio.file.Path;
import java.util.Random;
import org.walrusjava.data.WellSpec;
import org.walrusjava.data.WellWriter;

/**
 * A small learnable Well dataset for training tests: smooth periodic patterns on a 32 x 32 grid (the smallest the
 * stride table takes) carried along at a
 * fixed velocity (1 cell per step in x, 0.5 in y), so that the next frame is a shift of the last one and a model
 * can beat the persistence baseline. Written as a dataset root with data/train and data/valid.
 */
public final class AdvectionData {
    static final int N = 32;

    private AdvectionData() {}

    /** @param field the variable field's name ("tracer" is in the released vocabulary) */
    public static Path write(Path root, String field, int trainTrajectories, int validTrajectories, int steps) {
        return write(root, "advection", field, trainTrajectories, validTrajectories, steps);
    }

    /** @param name the dataset's name (training logs name each micro-batch's dataset by it) */
    public static Path write(Path root, String name, String field, int trainTrajectories, int validTrajectories,
            int steps) {
        writeFile(root.resolve("data/train/" + name + "_train.hdf5"), name, field, trainTrajectories, steps, 1);
        writeFile(root.resolve("data/valid/" + name + "_valid.hdf5"), name, field, validTrajectories, steps, 2);
        return root;
    }

    private static void writeFile(Path file, String name, String field, int trajectories, int steps, long seed) {
        float[] coords = new float[N];
        for (int i = 0; i < N; i++) coords[i] = (float) i / N;
        float[] time = new float[steps];
        for (int t = 0; t < steps; t++) time[t] = t;
        WellSpec spec = WellSpec.builder(name, "cartesian")
                .trajectories(trajectories)
                .spatialDim("x", coords)
                .spatialDim("y", coords)
                .time(time)
                .boundary(WellSpec.BoundaryGroup.bothFaces("x_periodic", "PERIODIC", "x", N))
                .boundary(WellSpec.BoundaryGroup.bothFaces("y_periodic", "PERIODIC", "y", N))
                .field(WellSpec.Field.of(field, 0))
                .build();
        double[][] modes = new double[trajectories][];
        Random r = new Random(seed);
        for (int n = 0; n < trajectories; n++) {
            // amplitude and phase of modes (1,0), (0,1), (1,1), (2,1)
            modes[n] = new double[8];
            for (int k = 0; k < 8; k++) modes[n][k] = k % 2 == 0 ? 0.5 + r.nextDouble() : 2 * Math.PI * r.nextDouble();
        }
        int[][] waves = {{1, 0}, {0, 1}, {1, 1}, {2, 1}};
        WellWriter.write(file, spec, (f, n, t, frame) -> {
            for (int x = 0; x < N; x++)
                for (int y = 0; y < N; y++) {
                    double v = 0;
                    for (int k = 0; k < 4; k++) {
                        double phase = 2 * Math.PI * (waves[k][0] * (x - 1.0 * t) + waves[k][1] * (y - 0.5 * t)) / N;
                        v += modes[n][2 * k] * Math.sin(phase + modes[n][2 * k + 1]);
                    }
                    frame.put((float) (v + 2.0));
                }
        });
    }
}
