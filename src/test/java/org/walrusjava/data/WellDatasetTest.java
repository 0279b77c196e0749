package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WellDatasetTest {
    private static final Path PERIODIC = WellFixtures.dataset("periodic2d");
    private static final Path WALLS = WellFixtures.dataset("walls2d");
    private static final Path TENSOR = WellFixtures.dataset("tensor3d");

    private static WellDataset.Builder periodic(WindowSpec spec) {
        return WellDataset.builder(PERIODIC).split("train").windows(spec).extendVocabulary(true);
    }

    /** Value of channel c at (frame, x, y, z) of a (frames, X, Y, Z, C) array. */
    private static float at(float[] a, int[] shape, int channels, int frame, int x, int y, int z, int c) {
        return a[(((frame * shape[0] + x) * shape[1] + y) * shape[2] + z) * channels + c];
    }

    @Test
    void splitFolderRootAndFileResolveToTheSameFiles() {
        List<Path> viaRoot = WellPaths.resolve(PERIODIC, "train");
        List<Path> viaSplit = WellPaths.resolve(PERIODIC.resolve("data/train"), "ignored");
        assertEquals(viaRoot, viaSplit);
        assertEquals(List.of("periodic2d_train_00.hdf5", "periodic2d_train_01.hdf5"),
                viaRoot.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of(viaRoot.get(1)), WellPaths.resolve(viaRoot.get(1), "train"));
        assertEquals(List.of("train", "valid", "test"), WellPaths.splits(PERIODIC));
        assertEquals(PERIODIC.toAbsolutePath().normalize(), WellPaths.datasetRoot(viaRoot).normalize());
    }

    /** 2 files x 2 trajectories x (12 - 5 + 1) windows; indices run file by file, trajectory by trajectory. */
    @Test
    void windowsRunAcrossFilesInSortedOrder() {
        try (WellDataset d = periodic(WindowSpec.evaluation(4, 1, 1)).build()) {
            assertEquals(32, d.size());
            assertArrayEquals(new long[] {16, 16}, d.info().windowsPerFile());
            Batch b = d.sample(8 + 16 + 3, new Random(1)); // file 1, trajectory 1, start 3
            Batch.Window w = b.windows().getFirst();
            assertEquals("periodic2d_train_01.hdf5", w.file().getFileName().toString());
            assertEquals(1, w.trajectory());
            assertEquals(3, w.tStart());
            assertEquals(1, w.stride());
            assertArrayEquals(new float[] {0.15f, 0.2f, 0.25f, 0.3f, 0.35f}, w.times(), 1e-6f);
            try (WellFile f = WellFile.open(w.file())) {
                float[] direct = f.readFrames(f.field("velocity"), 1, 3, 5, 1);
                int[] s = b.spatialShape();
                for (int frame = 0; frame < 5; frame++) {
                    float[] arr = frame < 4 ? b.input() : b.output();
                    int fr = frame < 4 ? frame : 0;
                    for (int x = 0; x < 32; x += 7) {
                        for (int y = 0; y < 32; y += 5) {
                            int p = ((frame * 32 + x) * 32 + y) * 2;
                            assertEquals(direct[p], at(arr, s, 5, fr, x, y, 0, 2));
                            assertEquals(direct[p + 1], at(arr, s, 5, fr, x, y, 0, 3));
                            assertEquals(0f, at(arr, s, 5, fr, x, y, 0, 4), "padded velocity_z");
                        }
                    }
                }
            }
        }
    }

    /** Spec §4.2: trailing singleton axis, PERIODIC on it, zero z components, mask false for them. */
    @Test
    void inflatesTwoDimensionalData() {
        try (WellDataset d = periodic(WindowSpec.evaluation(2, 1, 1)).build()) {
            DatasetInfo info = d.info();
            assertTrue(info.inflated());
            assertArrayEquals(new int[] {32, 32, 1}, info.spatialShape());
            assertEquals(List.of("density", "pressure", "velocity_x", "velocity_y", "velocity_z"),
                    info.variableChannels());
            assertEquals(List.of("diffusivity"), info.constantChannels());
            assertArrayEquals(new boolean[] {true, true, true, true, false}, info.paddedFieldMask());
            assertArrayEquals(new int[][] {{2, 2}, {2, 2}, {2, 2}}, info.boundaryConditions());
            Batch b = d.sample(0, new Random(0));
            assertEquals(2 * 32 * 32 * 5, b.input().length);
            assertEquals(32 * 32 * 5, b.output().length);
            assertEquals(32 * 32, b.constants().length);
        }
        try (WellDataset d = WellDataset.builder(WALLS).build()) {
            assertArrayEquals(new int[][] {{2, 2}, {0, 0}, {2, 2}}, d.info().boundaryConditions());
            assertArrayEquals(new int[] {128, 32, 1}, d.info().spatialShape());
        }
    }

    @Test
    void fieldIndicesComeFromTheReleasedVocabulary() {
        try (WellDataset d = WellDataset.builder(WALLS).build()) {
            assertArrayEquals(new int[] {53, 3, 4, 5, 6}, d.info().fieldIndices());
            assertEquals(67, d.info().vocabulary().size());
        }
        try (WellDataset d = periodic(WindowSpec.evaluation(1, 1, 1)).build()) {
            assertArrayEquals(new int[] {28, 3, 4, 5, 6, 67}, d.info().fieldIndices(), "diffusivity appended");
            assertEquals(68, d.info().vocabulary().size());
        }
    }

    @Test
    void fieldTransformsRenameAndTransformValues() {
        WellDatasetOptions zeros = new WellDatasetOptions(Map.of("density", FieldTransform.ZEROS_LIKE), 1, 1, 1);
        try (WellDataset d = periodic(WindowSpec.evaluation(1, 1, 1)).options(zeros).build()) {
            assertEquals("zeros_like_density", d.info().variableChannels().getFirst());
            assertEquals(7, d.info().fieldIndices()[0]);
            Batch b = d.sample(5, new Random(0));
            for (int i = 0; i < b.input().length; i += 5) assertEquals(0f, b.input()[i]);
        }
        WellDatasetOptions log = new WellDatasetOptions(Map.of("density", FieldTransform.LOG10), 1, 1, 1);
        try (WellDataset d = WellDataset.builder(TENSOR).windows(WindowSpec.evaluation(1, 1, 1)).options(log)
                .extendVocabulary(true).build();
             WellFile f = WellFile.open(d.info().files().getFirst())) {
            assertEquals("log10_density", d.info().variableChannels().getFirst());
            assertEquals(55, d.info().fieldIndices()[0]);
            float[] raw = f.readFrames(f.field("density"), 0, 2, 1, 1);
            Batch b = d.sample(2, new Random(0));
            for (int p = 0; p < raw.length; p += 97) {
                assertEquals((float) Math.log10(raw[p]), b.input()[p * 13], 0f);
            }
        }
    }

    /** Strides are uniform over [min, max] but always leave the window inside the trajectory. */
    @Test
    void randomStridesStayInsideTrajectories() {
        try (WellDataset d = periodic(WindowSpec.training(4, 1, 1, 5)).build()) {
            assertEquals(32, d.size(), "counted at the minimum stride");
            Random rng = new Random(42);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 120; i++) {
                Batch.Window w = d.sample(i % d.size(), rng).windows().getFirst();
                assertTrue(w.tStart() + 4 * w.stride() <= 11, w.toString());
                seen.add(w.stride());
            }
            assertEquals(Set.of(1, 2), seen, "12 steps allow strides 1 and 2 for 5 frames");
        }
        try (WellDataset d = periodic(WindowSpec.training(1, 1, 1, 5)).build()) {
            Set<Integer> seen = new HashSet<>();
            Random rng = new Random(7);
            for (int i = 0; i < 100; i++) seen.add(d.sample(0, rng).windows().getFirst().stride());
            assertEquals(Set.of(1, 2, 3, 4, 5), seen);
        }
    }

    @Test
    void fullTrajectoryMode() {
        try (WellDataset d = periodic(WindowSpec.fullTrajectory(4, 1, 100)).build()) {
            assertEquals(4, d.size(), "one window per trajectory");
            assertEquals(8, d.info().outputSteps());
            Batch b = d.sample(3, new Random(0));
            assertEquals(0, b.windows().getFirst().tStart());
            assertEquals(8 * 32 * 32 * 5, b.output().length);
            try (WellFile f = WellFile.open(b.windows().getFirst().file())) {
                float[] last = f.readFrames(f.field("pressure"), 1, 11, 1, 1);
                assertEquals(last[100], b.output()[(7 * 32 * 32 + 100) * 5 + 1]);
            }
        }
        try (WellDataset d = periodic(WindowSpec.fullTrajectory(4, 2, 100)).build()) {
            assertEquals(2, d.info().outputSteps(), "(12 - 4*2) / 2");
        }
        try (WellDataset d = periodic(WindowSpec.fullTrajectory(4, 1, 5)).build()) {
            assertEquals(5, d.info().outputSteps(), "capped by max rollout steps");
        }
    }

    @Test
    void threeDimensionalDataIsServedAsStored() {
        try (WellDataset d = WellDataset.builder(TENSOR).extendVocabulary(true).windows(WindowSpec.evaluation(3, 1, 1))
                .build()) {
            DatasetInfo info = d.info();
            assertFalse(info.inflated());
            assertArrayEquals(new int[] {16, 16, 16}, info.spatialShape());
            assertEquals(13, info.variableChannels().size());
            assertEquals(List.of("temperature_background"), info.constantChannels());
            assertArrayEquals(new int[][] {{2, 2}, {0, 0}, {1, 1}}, info.boundaryConditions());
            for (boolean m : info.paddedFieldMask()) assertTrue(m);
            assertArrayEquals(new int[] {28, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17, 18, 67}, info.fieldIndices());
        }
    }

    /** Sample-varying constant fields (the dummy file) are read for each window's own trajectory. */
    @Test
    void sampleVaryingConstantsFollowTheTrajectory() {
        Path dummy = WellFixtures.root().resolve("dummy/dummy.hdf5");
        try (WellDataset d = WellDataset.builder(dummy).extendVocabulary(true).build();
             WellFile f = WellFile.open(dummy)) {
            assertEquals(List.of("field_x", "field_y", "field_z"), d.info().variableChannels());
            assertArrayEquals(new int[][] {{1, 1}, {1, 1}, {2, 2}}, d.info().boundaryConditions());
            Batch b = d.batch(new int[] {0, 9}, new Random(0)); // trajectory 0 step 0, trajectory 1 step 0
            float[] c0 = f.readConstant(f.field("constant_field"), 0);
            float[] c1 = f.readConstant(f.field("constant_field"), 1);
            assertArrayEquals(c0, java.util.Arrays.copyOfRange(b.constants(), 0, 1024));
            assertArrayEquals(c1, java.util.Arrays.copyOfRange(b.constants(), 1024, 2048));
        }
    }

    @Test
    void normalisationWithStatsYaml() {
        FieldStatistics stats = FieldStatistics.read(PERIODIC.resolve("stats.yaml"));
        try (WellDataset plain = periodic(WindowSpec.evaluation(1, 1, 1)).build();
             WellDataset z = periodic(WindowSpec.evaluation(1, 1, 1)).normalization(Normalization.ZSCORE).build();
             WellDataset r = periodic(WindowSpec.evaluation(1, 1, 1)).normalization(Normalization.RMS).build()) {
            Batch a = plain.sample(4, new Random(0));
            Batch bz = z.sample(4, new Random(0));
            Batch br = r.sample(4, new Random(0));
            for (int p = 0; p < 1024; p += 31) {
                for (int c = 0; c < 4; c++) {
                    String field = c < 2 ? a.variableChannels().get(c) : "velocity";
                    int comp = c < 2 ? 0 : c - 2;
                    FieldStatistics.Entry e = stats.get(field);
                    float x = a.input()[p * 5 + c];
                    assertEquals((float) ((x - e.mean()[comp]) / e.std()[comp]), bz.input()[p * 5 + c], 1e-6f);
                    assertEquals((float) (x / e.rms()[comp]), br.input()[p * 5 + c], 1e-6f);
                }
                assertEquals(0f, bz.input()[p * 5 + 4], "padded components stay zero");
                FieldStatistics.Entry diff = stats.get("diffusivity");
                assertEquals((float) ((a.constants()[p] - diff.mean()[0]) / Math.max(diff.std()[0], 1e-4)),
                        bz.constants()[p], 1e-5f);
            }
        }
    }

    /** The prefetching stream yields exactly the batches direct calls give, in order, whatever the timing. */
    @Test
    void prefetchStreamIsDeterministic() {
        try (WellDataset d = periodic(WindowSpec.training(2, 1, 1, 3)).augment(true).build()) {
            List<Batch> first = new ArrayList<>();
            try (BatchStream s = d.stream(5, true, false, 11, 2)) {
                s.forEachRemaining(first::add);
            }
            assertEquals(8, first.size(), "ceil(40 / 5)");
            Set<Long> covered = new HashSet<>();
            Set<CubeRotations.Rotation> rotations = new HashSet<>();
            try (BatchStream s = d.stream(5, true, false, 11, 1)) {
                for (Batch expected : first) {
                    Batch again = s.next();
                    assertArrayEquals(expected.input(), again.input());
                    assertEquals(expected.rotation(), again.rotation());
                    assertEquals(expected.windows().stream().map(Batch.Window::toString).toList().size(),
                            again.windows().size());
                    for (Batch.Window w : again.windows()) {
                        covered.add((long) (w.file().getFileName().toString().endsWith("01.hdf5") ? 20 : 0)
                                + w.trajectory() * 10L + w.tStart());
                    }
                    rotations.add(again.rotation());
                }
                assertFalse(s.hasNext());
            }
            assertEquals(40, covered.size(), "every window exactly once");
            assertTrue(rotations.size() > 1, "batches draw their own rotation");
        }
    }

    /** An augmented batch is the plain batch rotated as a whole: data, shape, boundaries and mask together. */
    @Test
    void augmentationRotatesWholeBatches() {
        try (WellDataset plain = WellDataset.builder(WALLS).windows(WindowSpec.evaluation(2, 1, 1)).build();
             WellDataset rotated = WellDataset.builder(WALLS).windows(WindowSpec.evaluation(2, 1, 1)).augment(true)
                     .build()) {
            for (int seed = 0; seed < 12; seed++) {
                Batch b = rotated.batch(new int[] {0, 3}, new Random(seed));
                Batch a = plain.batch(new int[] {0, 3}, new Random(seed));
                CubeRotations.Rotation r = b.rotation();
                assertArrayEquals(r.applyToShape(a.spatialShape()), b.spatialShape());
                assertArrayEquals(r.applyToBoundaryConditions(a.boundaryConditions()), b.boundaryConditions());
                assertArrayEquals(r.applyToFrames(a.input(), a.spatialShape(), plain.info().variableLayout()),
                        b.input());
                int real = 0;
                for (boolean m : b.paddedFieldMask()) real += m ? 1 : 0;
                assertEquals(4, real, "buoyancy, pressure and two in-plane velocity components");
            }
        }
    }
}
