package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.data.FieldInfo;
import org.walrusjava.data.H5py;
import org.walrusjava.data.ScalarInfo;
import org.walrusjava.data.Stats;
import org.walrusjava.data.WellFile;

/**
 * Simulated datasets pass the reader checks the fixtures pass (metadata, boundary table, channel order, scalars)
 * with values equal to the in-memory trajectories, carry stats.yaml and NAME.yaml, read in h5py and pass the_well's
 * format rules, and are published whole or not at all.
 */
class SimulatedDatasetTest {
    private static final int FRAMES = 4;

    @TempDir
    Path dir;

    private static int smallResolution(SimulatedSystem system) {
        return system.nSpatialDims() == 2 ? 32 : 16;
    }

    private static SimulatedDataset.Result simulate(SimulatedSystem system, Path root, int trajectories) {
        return SimulatedDataset.write(new SimulatedDataset.Request(system, trajectories, FRAMES, smallResolution(system),
                11, SplitFractions.defaults()), root, false, (done, total) -> { });
    }

    @Test
    void everySystemReadsBackExactlyAsSimulated() {
        for (SimulatedSystem system : Simulators.all()) {
            SimulatedDataset.Result result = simulate(system, dir.resolve(system.name()), 3);
            int index = 0;
            for (String split : SplitFractions.SPLITS) {
                List<Path> files = result.files().get(split);
                assertEquals(1, files.size(), system.name() + " " + split);
                Trajectory expected = system.simulate(SimulatedDataset.trajectorySeed(11, index++),
                        smallResolution(system), FRAMES);
                assertFileHolds(files.getFirst(), expected);
            }
        }
    }

    private static void assertFileHolds(Path path, Trajectory t) {
        String what = path.getFileName().toString();
        try (WellFile w = WellFile.open(path)) {
            assertEquals(t.system(), w.datasetName(), what);
            assertEquals("cartesian", w.gridType(), what);
            assertEquals(t.nSpatialDims(), w.nSpatialDims(), what);
            assertEquals(1, w.nTrajectories(), what);
            assertEquals(FRAMES, w.nSteps(), what);
            assertEquals(t.spatialDims(), w.spatialDims(), what);
            assertArrayEquals(t.shape(), w.spatialResolution(), what);
            assertArrayEquals(floats(t.time()), w.time(0), what);
            for (int a = 0; a < t.nSpatialDims(); a++)
                assertArrayEquals(floats(t.coordinates().get(a)), w.coordinates(t.spatialDims().get(a)), what);

            Map<String, Object> parameters = w.simulationParameters();
            assertEquals(List.copyOf(t.parameters().keySet()), List.copyOf(parameters.keySet()), what);
            t.parameters().forEach((name, value) -> {
                assertEquals(value, (Double) parameters.get(name), 0.0, what + " " + name);
                assertEquals(value.floatValue(), (float) w.scalarValues(name)[0], what + " scalar " + name);
            });
            assertTrue(w.scalars().stream().noneMatch(ScalarInfo::isVariable), what);

            int[][] codes = new int[t.nSpatialDims()][];
            for (int a = 0; a < codes.length; a++) {
                AxisBoundary b = t.boundaries().get(a);
                codes[a] = new int[] {b.lower().wellCode(), b.upper().wellCode()};
            }
            assertArrayEquals(codes, w.boundaryConditions(), what);

            assertEquals(components(t.variableGroups()), w.variableChannels(), what);
            assertEquals(components(t.constantGroups()), w.constantChannels(), what);
            for (FieldGroup group : t.fields()) {
                FieldInfo field = w.field(group.name());
                assertEquals(group.rank(), field.rank(), what + " " + group.name());
                assertEquals(group.constant(), field.isConstant(), what + " " + group.name());
                if (group.constant()) {
                    assertArrayEquals(t.interleaved(group, 0), w.readConstant(field, 0), what + " " + group.name());
                } else {
                    for (int step = 0; step < FRAMES; step++)
                        assertArrayEquals(t.interleaved(group, step), w.readFrames(field, 0, step, 1, 1),
                                what + " " + group.name() + " step " + step);
                }
            }
        }
    }

    @Test
    void splitsSidecarsAndPersistenceOfADataset() throws IOException {
        SimulatedSystem system = Simulators.byName("gray_scott_2d");
        Path root = dir.resolve("gs");
        SimulatedDataset.Result result = simulate(system, root, 10);
        assertEquals(List.of(8, 1, 1), SplitFractions.SPLITS.stream().map(s -> result.files().get(s).size()).toList());
        assertEquals(root.resolve("data/train/gray_scott_2d_train_007.hdf5"), result.files().get("train").get(7));
        assertEquals(root.resolve("data/test/gray_scott_2d_test_000.hdf5"), result.files().get("test").getFirst());
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(12, all.filter(Files::isRegularFile).count(), "10 files, stats.yaml, gray_scott_2d.yaml");
        }

        assertEquals(Stats.compute(result.files().get("train"), null).toYaml(), Files.readString(root.resolve("stats.yaml")));
        String metadata = Files.readString(root.resolve("gray_scott_2d.yaml"));
        assertTrue(metadata.contains("dataset_name: gray_scott_2d\n"), metadata);
        assertTrue(metadata.contains("field_names:\n  0:\n  - A\n  - B\n"), metadata);
        assertTrue(metadata.contains("n_files: 1\n") && metadata.contains("n_steps_per_trajectory:\n- 4\n"), metadata);
        assertTrue(metadata.contains("constant_scalar_names:\n- F\n- k\n"), metadata);

        // the test split's persistence figure is the one of its single trajectory
        Trajectory test = system.simulate(SimulatedDataset.trajectorySeed(11, 9), 32, FRAMES);
        assertEquals(PersistenceBaseline.oneStepVrmse(test), result.persistenceOneStep().get("test"), 1e-12);
    }

    @Test
    void splitCountsKeepEverySplitAndParseFractions() {
        assertArrayEquals(new int[] {8, 1, 1}, SplitFractions.defaults().counts(10));
        assertArrayEquals(new int[] {1, 1, 1}, SplitFractions.defaults().counts(3));
        assertArrayEquals(new int[] {16, 2, 2}, SplitFractions.defaults().counts(20));
        assertArrayEquals(new int[] {10, 5, 5}, SplitFractions.parse("0.5, 0.25,0.25").counts(20));
        assertArrayEquals(new int[] {1, 1, 1}, SplitFractions.parse("0.2,0.4,0.4").counts(3));
        assertThrows(UserError.class, () -> SplitFractions.defaults().counts(2));
        assertEquals("--splits: three positive fractions summing to 1 are needed (train, valid, test), got 0.8, 0.1, 0.2",
                assertThrows(UserError.class, () -> SplitFractions.parse("0.8,0.1,0.2")).getMessage());
        assertThrows(UserError.class, () -> SplitFractions.parse("0.8,0.2"));
        assertThrows(UserError.class, () -> SplitFractions.parse("a,b,c"));
    }

    @Test
    void trajectorySeedsDependOnTheDatasetSeedAndIndexOnly() {
        long[] seeds = new long[5];
        for (int i = 0; i < 5; i++) seeds[i] = SimulatedDataset.trajectorySeed(3, i);
        assertEquals(5, Arrays.stream(seeds).distinct().count());
        assertEquals(seeds[4], SimulatedDataset.trajectorySeed(3, 4));
        assertNotEquals(seeds[0], SimulatedDataset.trajectorySeed(4, 0));
    }

    @Test
    void h5pyReadsTheFilesAndTheyPassTheWellFormatRules() {
        SimulatedDataset.Result result = simulate(Simulators.byName("acoustics_2d"), dir.resolve("ac"), 3);
        Path[] files = result.files().values().stream().flatMap(List::stream).toArray(Path[]::new);
        H5py.Result check = H5py.run("check", files);
        assertEquals(0, check.exitCode(), check.output());

        String dump = H5py.run("dump", files[0]).output();
        for (String expected : List.of(
                "{\"object\": \"/t0_fields/pressure\", \"kind\": \"dataset\"",
                "\"shape\": [1, 4, 32, 32], \"dtype\": \"float32\"",
                "\"shape\": [1, 4, 32, 32, 2], \"dtype\": \"float32\"",
                "\"shape\": [1, 32, 32], \"dtype\": \"float32\"",
                "\"object\": \"/boundary_conditions/x_open\"",
                "\"object\": \"/boundary_conditions/y_wall\""))
            assertTrue(dump.contains(expected), expected + " not in " + dump);
    }

    @Test
    void aFolderInUseIsRefusedAndReplacingSwapsTheWholeDataset() throws IOException {
        SimulatedSystem system = Simulators.byName("advection_diffusion_3d");
        Path root = dir.resolve("ad");
        Files.createDirectories(root);
        Files.writeString(root.resolve("notes.txt"), "mine");
        UserError e = assertThrows(UserError.class, () -> simulate(system, root, 3));
        assertEquals(root + ": exists and is not empty; remove it or choose another --out", e.getMessage());
        assertEquals("mine", Files.readString(root.resolve("notes.txt")));

        SimulatedDataset.write(new SimulatedDataset.Request(system, 3, FRAMES, 16, 5, SplitFractions.defaults()),
                root, true, (done, total) -> { });
        assertFalse(Files.exists(root.resolve("notes.txt")));
        assertTrue(Files.isRegularFile(root.resolve("data/test/advection_diffusion_3d_test_000.hdf5")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(root), siblings.toList(), "no staging or old folders left behind");
        }
    }

    @Test
    void badRequestsAreOneLineErrors() {
        SimulatedSystem ns = Simulators.byName("navier_stokes_2d");
        assertThrows(UserError.class, () -> new SimulatedDataset.Request(ns, 3, 4, 64, 0, SplitFractions.defaults()));
        assertThrows(UserError.class, () -> new SimulatedDataset.Request(ns, 3, 1, 32, 0, SplitFractions.defaults()));
        assertThrows(UserError.class, () -> new SimulatedDataset.Request(ns, 2, 4, 32, 0, SplitFractions.defaults()));
    }

    private static List<String> components(List<FieldGroup> groups) {
        List<String> out = new ArrayList<>();
        for (FieldGroup g : groups) out.addAll(g.components());
        return out;
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }
}
