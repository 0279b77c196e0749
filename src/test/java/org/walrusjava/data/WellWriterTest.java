package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.data.WellSpec.BoundaryGroup;
import org.walrusjava.data.WellSpec.Field;
import org.walrusjava.data.hdf5.Hdf5Library;

class WellWriterTest {
    @TempDir
    Path dir;

    @Test
    void everyFieldKindRoundTripsThroughJhdf() {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("synthetic.hdf5");
        // Frames in reverse order: the writer accepts them in any order.
        try (WellWriter writer = WellWriter.create(path, spec)) {
            for (Field field : spec.fields().reversed()) {
                for (int n = field.sampleVarying() ? spec.nTrajectories() - 1 : 0; n >= 0; n--) {
                    for (int t = field.timeVarying() ? spec.nSteps() - 1 : 0; t >= 0; t--) {
                        writer.write(field.name(), n, t, SyntheticWell.frame(spec, field, n, t));
                    }
                }
            }
            assertEquals(path, writer.commit());
        }

        try (HdfFile file = new HdfFile(path)) {
            assertEquals("synthetic3d", file.getAttribute("dataset_name").getData());
            assertEquals(3L, file.getAttribute("n_spatial_dims").getData());
            assertEquals(2L, file.getAttribute("n_trajectories").getData());
            assertArrayEquals(new String[] {"alpha", "resolution", "solver"},
                    (String[]) file.getAttribute("simulation_parameters").getData());
            assertEquals(0.5, file.getAttribute("alpha").getData());
            assertEquals(64L, file.getAttribute("resolution").getData());
            assertEquals("spectral", file.getAttribute("solver").getData());

            Dataset time = file.getDatasetByPath("dimensions/time");
            assertArrayEquals(new int[] {2, 3}, time.getDimensions());
            assertArrayEquals(new float[] {0f, 0.1f, 0.2f, 0f, 0.2f, 0.4f}, (float[]) time.getDataFlat());
            assertEquals("TRUE", time.getAttribute("sample_varying").getData());
            assertArrayEquals(new int[] {2, 3}, file.getDatasetByPath("scalars/energy").getDimensions());
            assertEquals(0.5f, file.getDatasetByPath("scalars/alpha").getData());

            assertArrayEquals(new String[] {"rho", "bathymetry", "forcing"},
                    (String[]) file.getByPath("t0_fields").getAttribute("field_names").getData());
            assertField(file, spec, "t0_fields/rho", new int[] {2, 3, 4, 3, 2}, new int[] {1, 1, 4, 3, 2});
            assertField(file, spec, "t0_fields/bathymetry", new int[] {4, 3}, new int[] {4, 3});
            assertArrayEquals(new String[] {"TRUE", "TRUE", "FALSE"},
                    (String[]) file.getByPath("t0_fields/bathymetry").getAttribute("dim_varying").getData());
            assertField(file, spec, "t0_fields/forcing", new int[] {3, 4, 3, 2}, new int[] {1, 4, 3, 2});
            assertField(file, spec, "t1_fields/u", new int[] {2, 3, 4, 3, 2, 3}, new int[] {1, 1, 4, 3, 2, 3});
            assertField(file, spec, "t1_fields/u0", new int[] {2, 4, 3, 2, 3}, new int[] {1, 4, 3, 2, 3});
            assertField(file, spec, "t2_fields/sigma", new int[] {2, 3, 4, 3, 2, 3, 3},
                    new int[] {1, 1, 4, 3, 2, 3, 3});
            assertEquals("TRUE", file.getByPath("t2_fields/sigma").getAttribute("symmetric").getData());
            assertEquals("FALSE", file.getByPath("t2_fields/sigma").getAttribute("antisymmetric").getData());

            Dataset obstacle = file.getDatasetByPath("boundary_conditions/obstacle/mask");
            assertArrayEquals(new int[] {4, 3}, obstacle.getDimensions());
            assertEquals(2, Arrays.stream((String[]) obstacle.getDataFlat()).filter("TRUE"::equals).count());
            assertArrayEquals(new String[] {"rho"},
                    (String[]) file.getByPath("boundary_conditions/y_wall").getAttribute("associated_fields")
                            .getData());
            assertArrayEquals(new float[] {1f, 0f},
                    (float[]) file.getDatasetByPath("boundary_conditions/y_wall/values").getDataFlat());
        }
    }

    @Test
    void byDefaultTheBundledLibraryWritesAndTheFileReadsBack() {
        assumeTrue(System.getenv(Hdf5Library.LIBRARY_ENV) == null
                && System.getProperty(Hdf5Library.LIBRARY_PROPERTY) == null, "an HDF5 library is named explicitly");
        assertTrue(Hdf5Library.get().describe().matches("HDF5 1\\.14\\.3 \\(.*/hdf5/1\\.14\\.3-1\\.5\\.10/.*\\)"),
                Hdf5Library.get().describe());
        WellSpec spec = SyntheticWell.spec();
        Path path = WellWriter.write(dir.resolve("bundled.hdf5"), spec, SyntheticWell.frames(spec));
        try (HdfFile file = new HdfFile(path)) {
            assertEquals("synthetic3d", file.getAttribute("dataset_name").getData());
            assertField(file, spec, "t1_fields/u", new int[] {2, 3, 4, 3, 2, 3}, new int[] {1, 1, 4, 3, 2, 3});
        }
    }

    /** Shape, one-frame chunks, and every stored value equal to what was written. */
    private static void assertField(HdfFile file, WellSpec spec, String path, int[] shape, int[] chunk) {
        Dataset dataset = file.getDatasetByPath(path);
        assertArrayEquals(shape, dataset.getDimensions(), path);
        assertArrayEquals(chunk, ((ChunkedDataset) dataset).getChunkDimensions(), path);
        Field field = spec.field(dataset.getName());
        float[] stored = (float[]) dataset.getDataFlat();
        int length = field.frameLength(spec);
        int steps = field.timeVarying() ? spec.nSteps() : 1;
        for (int frame = 0; frame < field.frameCount(spec); frame++) {
            assertArrayEquals(SyntheticWell.frame(spec, field, frame / steps, frame % steps),
                    Arrays.copyOfRange(stored, frame * length, (frame + 1) * length), path + " frame " + frame);
        }
    }

    @Test
    void nanInAFrameIsReportedWithFieldAndStepAndLeavesNoFile() {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("nan.hdf5");
        try (WellWriter writer = WellWriter.create(path, spec)) {
            float[] frame = SyntheticWell.frame(spec, spec.field("u"), 1, 2);
            frame[7] = Float.NaN;
            UserError e = assertThrows(UserError.class, () -> writer.write("u", 1, 2, frame));
            assertEquals(path + ": field u frame (trajectory 1, step 2) contains NaN at flat index 7",
                    e.getMessage());
            assertThrows(IllegalStateException.class, writer::commit, "an aborted writer cannot commit");
        }
        assertNothingWritten();
    }

    @Test
    void infinityFromAFrameSourceAbortsWholeWrite() {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("inf.hdf5");
        UserError e = assertThrows(UserError.class, () -> WellWriter.write(path, spec, (field, n, t, out) -> {
            float[] frame = SyntheticWell.frame(spec, field, n, t);
            if (field.name().equals("sigma") && t == 1) {
                frame[0] = Float.NEGATIVE_INFINITY;
            }
            out.put(frame);
        }));
        assertEquals(path + ": field sigma frame (trajectory 0, step 1) contains -Infinity at flat index 0",
                e.getMessage());
        assertNothingWritten();
    }

    @Test
    void frameOfTheWrongShapeIsRejected() {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("shape.hdf5");
        try (WellWriter writer = WellWriter.create(path, spec)) {
            UserError e = assertThrows(UserError.class, () -> writer.write("u", 0, 0, new float[4 * 3 * 2]));
            assertEquals(path + ": field u frame (trajectory 0, step 0) has 24 values, expected 72 for shape"
                    + " [4, 3, 2, 3]", e.getMessage());
        }
        assertNothingWritten();
    }

    @Test
    void indexOutOfRangeOrOnAnAxisTheFieldLacksIsRejected() {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("index.hdf5");
        try (WellWriter writer = WellWriter.create(path, spec)) {
            UserError e = assertThrows(UserError.class,
                    () -> writer.write("u0", 0, 1, SyntheticWell.frame(spec, spec.field("u0"), 0, 0)));
            assertEquals(path + ": field u0: step 1 out of range [0, 1) (the field does not vary over it: pass 0)",
                    e.getMessage());
        }
        try (WellWriter writer = WellWriter.create(path, spec)) {
            UserError e = assertThrows(UserError.class, () -> writer.write("rho", 2, 0, new float[24]));
            assertEquals(path + ": field rho: trajectory 2 out of range [0, 2)", e.getMessage());
        }
        try (WellWriter writer = WellWriter.create(path, spec)) {
            UserError e = assertThrows(UserError.class, () -> writer.write("vorticity", 0, 0, new float[24]));
            assertEquals(path + ": no field 'vorticity' in the spec (fields: [rho, bathymetry, forcing, u, u0,"
                    + " sigma])", e.getMessage());
        }
        assertNothingWritten();
    }

    @Test
    void commitWithMissingFramesNamesTheFirstOneAndLeavesNoFile() {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("missing.hdf5");
        try (WellWriter writer = WellWriter.create(path, spec)) {
            UserError e = assertThrows(UserError.class, writer::commit);
            assertEquals(path + ": field rho is missing frame (trajectory 0, step 0) (6 of 6 frames never written)",
                    e.getMessage());
        }
        assertNothingWritten();
    }

    @Test
    void closeWithoutCommitLeavesNoFile() {
        WellSpec spec = SyntheticWell.spec();
        try (WellWriter writer = WellWriter.create(dir.resolve("abandoned.hdf5"), spec)) {
            writer.write("bathymetry", 0, 0, SyntheticWell.frame(spec, spec.field("bathymetry"), 0, 0));
        }
        assertNothingWritten();
    }

    @Test
    void failedRewriteKeepsThePreviousFileAndCommitReplacesIt() throws IOException {
        WellSpec spec = SyntheticWell.spec();
        Path path = dir.resolve("kept.hdf5");
        WellWriter.write(path, spec, SyntheticWell.frames(spec));
        byte[] before = Files.readAllBytes(path);

        assertThrows(UserError.class, () -> WellWriter.write(path, spec, (field, n, t, out) -> out.put(Float.NaN)));
        assertArrayEquals(before, Files.readAllBytes(path));
        assertEquals(List.of(path), listDir());

        WellSpec renamed = WellSpec.builder("renamed", "cartesian").spatialDim("x", 0f, 1f).time(0f)
                .boundary(BoundaryGroup.bothFaces("x_open", "OPEN", "x", 2)).field(Field.of("a", 0)).build();
        WellWriter.write(path, renamed, (field, n, t, out) -> out.put(new float[] {1f, 2f}));
        try (HdfFile file = new HdfFile(path)) {
            assertEquals("renamed", file.getAttribute("dataset_name").getData());
        }
        assertEquals(List.of(path), listDir());
    }

    @Test
    void inconsistentSpecIsRejectedBeforeAnythingIsWritten() {
        Path path = dir.resolve("bad.hdf5");
        boolean[] mask = new boolean[5];
        WellSpec spec = WellSpec.builder("bad", "cartesian").trajectories(2)
                .spatialDim("x", 0f, 1f, 2f, 3f).spatialDim("y", 0f, Float.NaN)
                .time(0f, 1f)
                .simulationParameter("n_trajectories", 3)
                .scalar(new WellSpec.Scalar("energy", true, true, new float[3]))
                .boundary(new BoundaryGroup("x_wall", "WALL", List.of("x"), List.of("p"), mask, new float[1]))
                .boundary(BoundaryGroup.bothFaces("w_periodic", "PERIODIC", "w", 4))
                .boundary(BoundaryGroup.bothFaces("y_slip", "SLIP", "y", 2))
                .field(Field.of("u", 1))
                .field(Field.of("u", 0))
                .field(Field.of("q", 1).symmetry(true, false))
                .field(Field.of("b", 0).dimVarying(true))
                .build();
        UserError e = assertThrows(UserError.class, () -> WellWriter.create(path, spec));
        assertEquals(path + ": cannot write bad: coordinates of y has NaN at index 1;"
                + " simulation parameter 'n_trajectories' clashes with a root attribute of the format;"
                + " scalar energy needs 4 values, got 3;"
                + " field name 'u' appears twice;"
                + " field q: only rank-2 fields can be symmetric or antisymmetric;"
                + " field b: dim_varying has 1 entries for 2 spatial dims;"
                + " boundary group x_wall: mask has 5 entries, its dims [x] have 4 points;"
                + " boundary group x_wall: 1 values for 0 True mask entries;"
                + " boundary group x_wall: associated field 'p' is not a field of the file;"
                + " boundary group w_periodic: associated dim 'w' is not a spatial dim [x, y];"
                + " boundary group y_slip: bc_type must be one of [WALL, OPEN, PERIODIC], got SLIP", e.getMessage());
        assertNothingWritten();
    }

    @Test
    void unwritableLocationIsAUserError() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        UserError e = assertThrows(UserError.class,
                () -> WellWriter.create(blocker.resolve("out.hdf5"), SyntheticWell.spec()));
        assertTrue(e.getMessage().startsWith(blocker.resolve("out.hdf5") + ": cannot create its directory"),
                e.getMessage());
    }

    private void assertNothingWritten() {
        assertEquals(List.of(), listDir(), "no file and no partial file may remain");
    }

    private List<Path> listDir() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
