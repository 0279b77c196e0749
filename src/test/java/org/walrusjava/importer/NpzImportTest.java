package org.walrusjava.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.data.FieldInfo;
import org.walrusjava.data.FieldStatistics;
import org.walrusjava.data.WellFile;
import org.walrusjava.sim.SplitFractions;

/**
 * walrus import on NumPy files written by numpy itself: per-field arrays (float32 C order and float64 Fortran order,
 * deflated .npz) and one stacked array (stored .npz, coordinates read from arrays). Values are small dyadic numbers
 * so float32 holds them exactly and every comparison but log10's is exact.
 */
class NpzImportTest {
    static final int N = 5, T = 4, X = 32, Y = 32;

    /** Writes per_field.npz (savez_compressed) and stacked.npz (savez) into {@code dir}. */
    static final String WRITE_NPZ = """
            import sys, numpy as np
            d = sys.argv[1]
            n, t, i, j = np.meshgrid(np.arange(5), np.arange(4), np.arange(32), np.arange(32), indexing='ij')
            rho = (4 + n + 0.5 * t + 0.25 * i - 0.125 * j).astype(np.float32)
            u = np.asfortranarray(0.5 * n - 0.25 * t + 0.125 * i, dtype=np.float64)
            v = np.asfortranarray(-0.5 * n + 0.0625 * j + t, dtype=np.float64)
            cs = (2 + 0.5 * np.arange(32)[:, None] + 0 * np.arange(32)[None, :]).astype(np.float32)
            np.savez_compressed(d + '/per_field.npz', rho=rho, u=u, v=v, cs=cs)
            data = np.stack([2 * rho, u, v], axis=-1).astype(np.float32)
            np.savez(d + '/stacked.npz', data=data, xc=np.arange(32) * 0.5, yc=np.arange(32) * 0.5 - 8,
                     t=np.arange(4) * 0.125 + 1)
            """;

    static final String PER_FIELD_MAPPING = """
            dataset: toy_flow
            source: per_field.npz
            axes: [traj, time, x, y]
            grid:
              x: {spacing: 0.03125}
              y: {spacing: 0.03125, origin: 0.5}
            time: {dt: 0.25}
            boundaries:
              x: PERIODIC
              y: {lower: WALL, upper: OPEN}
            fields:
              density: {array: rho}
              velocity: {arrays: [u, v]}
              speed_of_sound: {array: cs, axes: [x, y], constant: true}
              pressure: {array: rho, scale: 2.0}
              log10_density: {array: rho, log10: true}
            splits: {train: 0.6, valid: 0.2, test: 0.2, seed: 7}
            """;

    /** Compares every imported dataset of every split file with the npz arrays; prints "ok". */
    static final String CHECK_WITH_H5PY = """
            import sys, json, numpy as np, h5py
            root, src, splits = sys.argv[1], np.load(sys.argv[2]), json.loads(sys.argv[3])
            rho, u, v, cs = src['rho'], src['u'], src['v'], src['cs']
            for split, idx in splits.items():
                with h5py.File(f'{root}/data/{split}/toy_flow_{split}.hdf5', 'r') as f:
                    assert f.attrs['dataset_name'] == 'toy_flow' and f.attrs['n_trajectories'] == len(idx)
                    assert np.array_equal(f['t0_fields/density'][...], rho[idx])
                    assert np.array_equal(f['t1_fields/velocity'][...], np.stack([u, v], -1)[idx].astype(np.float32))
                    assert np.array_equal(f['t0_fields/speed_of_sound'][...], cs)
                    assert not f['t0_fields/speed_of_sound'].attrs['time_varying']
                    assert np.array_equal(f['t0_fields/pressure'][...], 2 * rho[idx])
                    assert np.allclose(f['t0_fields/log10_density'][...], np.log10(rho[idx].astype(np.float64)), rtol=1e-6)
                    assert np.array_equal(f['dimensions/x'][...], np.arange(32) * 0.03125)
                    assert np.array_equal(f['dimensions/y'][...], 0.5 + np.arange(32) * 0.03125)
                    assert np.array_equal(f['dimensions/time'][...], np.arange(4) * 0.25)
                    bcs = {k: g.attrs['bc_type'] for k, g in f['boundary_conditions'].items()}
                    assert bcs == {'x_periodic': 'PERIODIC', 'y_lower_wall': 'WALL', 'y_upper_open': 'OPEN'}, bcs
            print('ok')
            """;

    /** stats.yaml by numpy: population statistics of values and one-step increments over the train split. */
    static final String STATS_WITH_NUMPY = """
            import sys, json, numpy as np
            src, idx = np.load(sys.argv[1]), json.loads(sys.argv[2])
            fields = {'density': src['rho'][idx], 'velocity': np.stack([src['u'], src['v']], -1)[idx].astype(np.float32)}
            out = {}
            for name, a in fields.items():
                a = a.astype(np.float64).reshape(a.shape[0], a.shape[1], -1, 1 if a.ndim == 4 else a.shape[-1])
                d = a[:, 1:] - a[:, :-1]
                flat, dflat = a.reshape(-1, a.shape[-1]), d.reshape(-1, a.shape[-1])
                out[name] = {'mean': flat.mean(0).tolist(), 'std': flat.std(0).tolist(),
                             'rms': np.sqrt((flat ** 2).mean(0)).tolist(), 'mean_delta': dflat.mean(0).tolist(),
                             'std_delta': dflat.std(0).tolist(), 'rms_delta': np.sqrt((dflat ** 2).mean(0)).tolist()}
            print(json.dumps(out))
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeSources() {
        PythonScripts.run(WRITE_NPZ, dir);
    }

    static Path mapping(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static double rho(int n, int t, int i, int j) {
        return 4 + n + 0.5 * t + 0.25 * i - 0.125 * j;
    }

    @Test
    void perFieldArraysRoundTripThroughOurReaderAndH5py() throws IOException {
        Path out = dir.resolve("toy_root");
        DatasetImporter.Result result = DatasetImporter.run(ImportMapping.load(mapping("per_field.yaml", PER_FIELD_MAPPING)),
                out, false, false, (d, t) -> { });
        Map<String, List<Integer>> splits = result.trajectoriesBySplit();
        assertEquals(List.of(3, 1, 1), List.of(splits.get("train").size(), splits.get("valid").size(), splits.get("test").size()));
        assertEquals(List.of(0, 1, 2, 3, 4), splits.values().stream().flatMap(List::stream).sorted().toList());
        // seed 7 always gives the same split
        assertEquals(splits, DatasetImporter.split(N, new SplitFractions(0.6, 0.2, 0.2), 7));

        try (WellFile w = WellFile.open(out.resolve("data/train/toy_flow_train.hdf5"))) {
            assertEquals(3, w.nTrajectories());
            assertEquals(T, w.nSteps());
            assertArrayEquals(new int[] {X, Y}, w.spatialResolution());
            assertArrayEquals(new int[][] {{2, 2}, {0, 1}}, w.boundaryConditions());
            assertEquals(List.of("density", "pressure", "log10_density", "velocity_x", "velocity_y"), w.variableChannels());
            assertEquals(List.of("speed_of_sound"), w.constantChannels());
            FieldInfo density = w.field("density");
            FieldInfo velocity = w.field("velocity");
            for (int k = 0; k < 3; k++) {
                int n = splits.get("train").get(k);
                float[] d = w.readFrames(density, k, 2, 1, 1);
                float[] vel = w.readFrames(velocity, k, 3, 1, 1);
                assertEquals((float) rho(n, 2, 5, 7), d[5 * Y + 7]);
                assertEquals((float) (0.5 * n - 0.25 * 3 + 0.125 * 9), vel[(9 * Y + 4) * 2]);
                assertEquals((float) (-0.5 * n + 0.0625 * 4 + 3), vel[(9 * Y + 4) * 2 + 1]);
            }
            assertEquals(2 + 0.5f * 31, w.readConstant(w.field("speed_of_sound"), 0)[31 * Y + 3]);
        }
        String json = new ObjectMapper().writeValueAsString(splits);
        assertEquals("ok", PythonScripts.run(CHECK_WITH_H5PY, out, dir.resolve("per_field.npz"), json));

        String yaml = Files.readString(out.resolve("toy_flow.yaml"));
        assertTrue(yaml.contains("dataset_name: toy_flow"), yaml);
        assertTrue(yaml.contains("n_trajectories_per_file:\n- 1"), yaml);
        assertTrue(yaml.contains("- PERIODIC") && yaml.contains("- WALL") && yaml.contains("- OPEN"), yaml);

        JsonNode expected = new ObjectMapper().readTree(PythonScripts.run(STATS_WITH_NUMPY, dir.resolve("per_field.npz"),
                new ObjectMapper().writeValueAsString(splits.get("train"))));
        FieldStatistics stats = FieldStatistics.read(out.resolve("stats.yaml"));
        for (String field : List.of("density", "velocity")) {
            FieldStatistics.Entry e = stats.get(field);
            JsonNode x = expected.get(field);
            assertClose(x.get("mean"), e.mean());
            assertClose(x.get("std"), e.std());
            assertClose(x.get("rms"), e.rms());
            assertClose(x.get("mean_delta"), e.meanDelta());
            assertClose(x.get("std_delta"), e.stdDelta());
            assertClose(x.get("rms_delta"), e.rmsDelta());
        }
    }

    /** stats.yaml prints 4 significant digits. */
    private static void assertClose(JsonNode expected, double[] actual) {
        assertEquals(expected.size(), actual.length);
        for (int c = 0; c < actual.length; c++) {
            double x = expected.get(c).asDouble();
            assertEquals(x, actual[c], 6e-4 * Math.abs(x) + 1e-12, "component " + c);
        }
    }

    @Test
    void stackedArrayWithCoordinateArrays() throws IOException {
        Path out = dir.resolve("stacked_root");
        Path yaml = mapping("stacked.yaml", """
                dataset: stacked
                source: stacked.npz
                axes: [traj, time, x, y, channel]
                grid: {x: {coordinates: xc}, y: {coordinates: yc}}
                time: {coordinates: t}
                boundaries: {x: PERIODIC, y: PERIODIC}
                fields:
                  pressure: {array: data, channel: 0}
                  velocity: {array: data, channels: [1, 2]}
                splits: {train: 0.6, valid: 0.2, test: 0.2, seed: 1}
                """);
        DatasetImporter.Result result = DatasetImporter.run(ImportMapping.load(yaml), out, false, false, (d, t) -> { });
        int n = result.trajectoriesBySplit().get("test").getFirst();
        try (WellFile w = WellFile.open(out.resolve("data/test/stacked_test.hdf5"))) {
            assertArrayEquals(new float[] {1f, 1.125f, 1.25f, 1.375f}, w.time(0));
            assertEquals(-8f, w.coordinates("y")[0]);
            assertEquals(15.5f, w.coordinates("x")[31]);
            float[] p = w.readFrames(w.field("pressure"), 0, 1, 1, 1);
            float[] vel = w.readFrames(w.field("velocity"), 0, 1, 1, 1);
            for (int i = 0; i < X; i += 7) {
                for (int j = 0; j < Y; j += 5) {
                    assertEquals((float) (2 * rho(n, 1, i, j)), p[i * Y + j]);
                    assertEquals((float) (0.5 * n - 0.25 + 0.125 * i), vel[(i * Y + j) * 2]);
                    assertEquals((float) (-0.5 * n + 0.0625 * j + 1), vel[(i * Y + j) * 2 + 1]);
                }
            }
        }
    }

    @Test
    void aRankTwoTensorTakesItsComponentsRowMajor() throws IOException {
        Path yaml = mapping("tensor.yaml", PER_FIELD_MAPPING.substring(0, PER_FIELD_MAPPING.indexOf("fields:"))
                + "fields:\n  D: {arrays: [rho, u, v, rho]}\nsplits: {train: 0.6, valid: 0.2, test: 0.2, seed: 7}\n");
        DatasetImporter.Result r = DatasetImporter.run(ImportMapping.load(yaml), dir.resolve("tensor_root"), false, false,
                (d, t) -> { });
        int n = r.trajectoriesBySplit().get("test").getFirst();
        try (WellFile w = WellFile.open(r.files().get("test"))) {
            assertEquals(List.of("D_xx", "D_xy", "D_yx", "D_yy"), w.variableChannels());
            float[] d = w.readFrames(w.field("D"), 0, 2, 1, 1);
            int p = 6 * Y + 9;
            assertArrayEquals(new float[] {(float) rho(n, 2, 6, 9), (float) (0.5 * n - 0.5 + 0.75),
                    (float) (-0.5 * n + 0.5625 + 2), (float) rho(n, 2, 6, 9)}, Arrays.copyOfRange(d, 4 * p, 4 * p + 4));
        }
        assertRefused(PER_FIELD_MAPPING.replace("velocity: {arrays: [u, v]}", "D: {arrays: [rho, u, v]}"),
                "field D: 3 components given, a rank-2 tensor in 2-D needs 4 (D_xx, D_xy, D_yx, D_yy, in that order)");
    }

    @Test
    void refusalsNameTheProblemAndLeaveNoOutput() throws IOException {
        assertRefused(PER_FIELD_MAPPING.replace("density: {array: rho}", "densty: {array: rho}"),
                "field densty is not in the Walrus vocabulary (closest: density (edit distance 1)");
        assertRefused(PER_FIELD_MAPPING.replace("arrays: [u, v]", "arrays: [u]"),
                "field velocity: 1 component given, a vector in 2-D needs 2 (velocity_x, velocity_y, in that order)");
        assertRefused(PER_FIELD_MAPPING.replace("velocity: {arrays: [u, v]}", "velocity_x: {array: u}"),
                "field velocity_x is one component of velocity");
        assertRefused(PER_FIELD_MAPPING.replace("speed_of_sound: {array: cs, axes: [x, y], constant: true}",
                "speed_of_sound: {array: cs, axes: [x, y]}"), "its arrays have no time axis [x, y]; mark it constant: true");
        assertRefused(PER_FIELD_MAPPING.replace("log10_density: {array: rho, log10: true}", "my_q: {array: rho}"),
                "add new: true and order:");
        assertRefused(PER_FIELD_MAPPING.replace("time: {dt: 0.25}", "time: {coordinates: cs}"),
                "time coordinates must be 1-D with 4 values, got shape [32, 32]");
        assertRefused(PER_FIELD_MAPPING.replace("x: PERIODIC", "x: {lower: PERIODIC, upper: WALL}"),
                "a periodic axis is periodic at both ends");
        assertRefused(PER_FIELD_MAPPING.replace("density: {array: rho}", "density: {array: rho, log10: true, scale: -1}"),
                "which has no log10 (log10: true needs positive values)");
    }

    @Test
    void unevenTimeNanAndUnsupportedGridsAreRefused() throws IOException {
        PythonScripts.run("""
                import sys, numpy as np
                d = sys.argv[1]
                a = np.ones((3, 3, 48, 32), np.float32)
                b = np.ones((3, 3, 32, 32), np.float32); b[2, 1, 4, 5] = np.nan
                c = np.ones((3, 2, 32, 32), np.float32)
                np.savez(d + '/bad.npz', wide=a, holes=b, short=c, t=np.array([0, 0.1, 0.3]))
                """, dir);
        String base = """
                dataset: bad
                source: bad.npz
                axes: [traj, time, x, y]
                grid: {x: {spacing: 1}, y: {spacing: 1}}
                time: {dt: 0.1}
                boundaries: {x: PERIODIC, y: PERIODIC}
                fields:
                  density: {array: holes}
                """;
        assertRefused(base.replace("holes", "wide"), "grid [48, 32]: grid axis of 48 points in shape [48, 32, 1] is not"
                + " covered by the stride table for 2-D data; nearest supported sizes: [32, 128] (or enable the extended"
                + " stride table, --extended-strides");
        assertRefused(base.replace("{dt: 0.1}", "{coordinates: t}"), "bad.npz:t: time is not uniform: step 0.1 between steps 0 and 1, mean step 0.15");
        assertRefused(base, "bad.npz:holes: field density has NaN at trajectory 2, step 1, grid point [4, 5]");
        assertRefused(base + "  pressure: {array: short}\n",
                "bad.npz:short: field pressure has 2 time steps, earlier arrays have 3 (inconsistent shapes)");
    }

    private static void assertRefused(String mappingText, String expected) throws IOException {
        Path out = dir.resolve("refused_root");
        Path yaml = mapping("refused.yaml", mappingText);
        UserError e = assertThrows(UserError.class,
                () -> DatasetImporter.run(ImportMapping.load(yaml), out, false, false, (d, t) -> { }));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(out), "a refused import leaves no output");
    }
}
