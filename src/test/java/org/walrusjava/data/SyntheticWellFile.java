package org.walrusjava.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Small Well-layout files written with jhdf's own writer, for what the h5py fixtures do not cover: fields that
 * do not vary along an axis (stored without it, or with size 1) and deliberately broken files. jhdf writes
 * booleans as bitfields and strings as fixed-length bytes, so these also exercise the reader's other encodings.
 * Test-only; not a Well writer (it cannot write the empty lists real files have).
 */
final class SyntheticWellFile {
    static final int TRAJECTORIES = 2;
    static final int STEPS = 5;
    static final int NX = 8;
    static final int NY = 4;

    /** What to write; the defaults give a valid file. */
    static final class Spec {
        Set<String> omitGroups = Set.of();
        String listedButAbsent;
        int densityNx = NX;
        int[] nanAt;
        boolean bumpWithSingletonAxis;
    }

    interface Tweak {
        void apply(Spec spec);
    }

    /** density(traj, t, x, y) as written. */
    static float density(int traj, int t, int x, int y) {
        return 1f + 0.5f * traj + 0.25f * t + 0.125f * x + 0.0625f * y;
    }

    /** bump(x): a constant field that does not vary along y. */
    static float bump(int x) {
        return 10f + x;
    }

    static Path write(Path dir, String name, Tweak tweak) {
        Spec spec = new Spec();
        tweak.apply(spec);
        Path path = dir.resolve(name);
        try (WritableHdfFile f = HdfFile.write(path)) {
            f.putAttribute("dataset_name", "synthetic");
            f.putAttribute("grid_type", "cartesian");
            f.putAttribute("n_spatial_dims", 2L);
            f.putAttribute("n_trajectories", (long) TRAJECTORIES);
            f.putAttribute("simulation_parameters", new String[] {"Re"});
            f.putAttribute("Re", 10.0);
            if (!spec.omitGroups.contains("dimensions")) dimensions(f.putGroup("dimensions"));
            if (!spec.omitGroups.contains("boundary_conditions")) boundaries(f.putGroup("boundary_conditions"));
            if (!spec.omitGroups.contains("scalars")) {
                WritableGroup s = f.putGroup("scalars");
                s.putAttribute("field_names", new String[] {"Re"});
                flags(s.putDataset("Re", 10f), false, false);
            }
            if (!spec.omitGroups.contains("t0_fields")) scalarsFields(f.putGroup("t0_fields"), spec);
            if (!spec.omitGroups.contains("t1_fields")) {
                WritableGroup g = f.putGroup("t1_fields");
                g.putAttribute("field_names", new String[] {"velocity"});
                float[][][][][] v = new float[TRAJECTORIES][STEPS][NX][NY][2];
                for (int b = 0; b < TRAJECTORIES; b++) {
                    for (int t = 0; t < STEPS; t++) {
                        for (int x = 0; x < NX; x++) {
                            for (int y = 0; y < NY; y++) {
                                v[b][t][x][y][0] = x - t;
                                v[b][t][x][y][1] = y + b;
                            }
                        }
                    }
                }
                field(g.putDataset("velocity", v, chunked(1, 1, NX, NY, 2)), true, true);
            }
            if (!spec.omitGroups.contains("t2_fields")) {
                WritableGroup g = f.putGroup("t2_fields");
                g.putAttribute("field_names", new String[] {"stress"});
                float[][][][][][] s = new float[TRAJECTORIES][STEPS][NX][NY][2][2];
                for (int b = 0; b < TRAJECTORIES; b++) {
                    for (int t = 0; t < STEPS; t++) {
                        for (int x = 0; x < NX; x++) {
                            for (int y = 0; y < NY; y++) s[b][t][x][y] = new float[][] {{1, x}, {y, t}};
                        }
                    }
                }
                WritableDataset d = g.putDataset("stress", s, chunked(1, 1, NX, NY, 2, 2));
                field(d, true, true);
                d.putAttribute("symmetric", false);
                d.putAttribute("antisymmetric", false);
            }
        }
        return path;
    }

    private static void dimensions(WritableGroup d) {
        d.putAttribute("spatial_dims", new String[] {"x", "y"});
        float[] time = new float[STEPS];
        for (int t = 0; t < STEPS; t++) time[t] = 0.1f * t;
        flags(d.putDataset("time", time), false, true);
        flags(d.putDataset("x", axis(NX)), false, false);
        flags(d.putDataset("y", axis(NY)), false, false);
    }

    private static float[] axis(int n) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = i / (float) n;
        return c;
    }

    private static void boundaries(WritableGroup bcs) {
        boundary(bcs.putGroup("x_periodic"), "PERIODIC", "x", NX);
        boundary(bcs.putGroup("y_wall"), "WALL", "y", NY);
    }

    private static void boundary(WritableGroup g, String type, String axis, int n) {
        g.putAttribute("bc_type", type);
        g.putAttribute("associated_dims", new String[] {axis});
        g.putAttribute("sample_varying", false);
        g.putAttribute("time_varying", false);
        boolean[] mask = new boolean[n];
        mask[0] = true;
        mask[n - 1] = true;
        g.putDataset("mask", mask);
        g.putDataset("values", new float[] {0f, 0f});
    }

    private static void scalarsFields(WritableGroup g, Spec spec) {
        List<String> names = new ArrayList<>(List.of("density", "bump"));
        if (spec.listedButAbsent != null) names.add(spec.listedButAbsent);
        g.putAttribute("field_names", names.toArray(String[]::new));
        float[][][][] rho = new float[TRAJECTORIES][STEPS][spec.densityNx][NY];
        for (int b = 0; b < TRAJECTORIES; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int x = 0; x < spec.densityNx; x++) {
                    for (int y = 0; y < NY; y++) rho[b][t][x][y] = density(b, t, x, y);
                }
            }
        }
        if (spec.nanAt != null) rho[spec.nanAt[0]][spec.nanAt[1]][2][1] = Float.NaN;
        field(g.putDataset("density", rho, chunked(1, 1, spec.densityNx, NY)), true, true);

        WritableDataset bump;
        if (spec.bumpWithSingletonAxis) {
            float[][] b = new float[NX][1];
            for (int x = 0; x < NX; x++) b[x][0] = bump(x);
            bump = g.putDataset("bump", b);
        } else {
            float[] b = new float[NX];
            for (int x = 0; x < NX; x++) b[x] = bump(x);
            bump = g.putDataset("bump", b);
        }
        flags(bump, false, false);
        bump.putAttribute("dim_varying", new boolean[] {true, false});
    }

    private static void field(WritableDataset d, boolean sampleVarying, boolean timeVarying) {
        flags(d, sampleVarying, timeVarying);
        d.putAttribute("dim_varying", new boolean[] {true, true});
    }

    private static void flags(WritableDataset d, boolean sampleVarying, boolean timeVarying) {
        d.putAttribute("sample_varying", sampleVarying);
        d.putAttribute("time_varying", timeVarying);
    }

    private static DatasetCreationOptions chunked(int... chunks) {
        return DatasetCreationOptions.builder().chunkDimensions(chunks).deflate(4).build();
    }
}
