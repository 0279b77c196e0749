package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;

/** Broken input gives one line that names the file and the problem, never a stack trace or a native crash. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static String oneLine(UserError e, Path file) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "names the file: " + m);
        assertEquals(1, m.lines().count(), "one line: " + m);
        return m;
    }

    /** Reads everything a training pass would touch. */
    private static void readAll(Path file) {
        try (WellFile w = WellFile.open(file)) {
            for (int traj = 0; traj < w.nTrajectories(); traj++) {
                w.readVariableWindow(traj, 0, w.nSteps(), 1);
                w.readConstants(traj);
            }
        }
    }

    static Path truncatedCopy(Path dir, double fraction) throws IOException {
        Path source = WellFixtures.dataset("periodic2d").resolve("data/train/periodic2d_train_00.hdf5");
        Path copy = dir.resolve("truncated.hdf5");
        Files.copy(source, copy);
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            ch.truncate((long) (Files.size(source) * fraction));
        }
        return copy;
    }

    @Test
    void truncatedFile() throws IOException {
        for (double fraction : new double[] {0.5, 0.9, 0.01}) {
            Path file = truncatedCopy(Files.createTempDirectory(tmp, "t"), fraction);
            UserError e = assertThrows(UserError.class, () -> readAll(file), "fraction " + fraction);
            oneLine(e, file);
        }
    }

    @Test
    void notHdf5AtAll() throws IOException {
        Path file = tmp.resolve("text.hdf5");
        Files.writeString(file, "this is not HDF5\n");
        String m = oneLine(assertThrows(UserError.class, () -> WellFile.open(file)), file);
        assertTrue(m.contains("not a readable HDF5 file"), m);
    }

    @Test
    void missingRequiredGroup() {
        Path file = SyntheticWellFile.write(tmp, "g.hdf5", s -> s.omitGroups = Set.of("t1_fields"));
        String m = oneLine(assertThrows(UserError.class, () -> WellFile.open(file)), file);
        assertTrue(m.endsWith("missing required group 't1_fields/'"), m);
    }

    @Test
    void fieldListedButAbsent() {
        Path file = SyntheticWellFile.write(tmp, "f.hdf5", s -> s.listedButAbsent = "pressure");
        String m = oneLine(assertThrows(UserError.class, () -> WellFile.open(file)), file);
        assertTrue(m.contains("t0_fields@field_names lists 'pressure' but the group has no such dataset"), m);
    }

    @Test
    void wrongShape() {
        Path file = SyntheticWellFile.write(tmp, "w.hdf5", s -> s.densityNx = SyntheticWellFile.NX + 1);
        String m = oneLine(assertThrows(UserError.class, () -> WellFile.open(file)), file);
        assertTrue(m.contains("t0_fields/density has shape [2, 5, 9, 4] but n_trajectories, n_steps, x, y"
                + " give [2, 5, 8, 4]"), m);
    }

    @Test
    void nanInWindowNamesFileFieldAndStep() {
        Path file = SyntheticWellFile.write(tmp, "n.hdf5", s -> s.nanAt = new int[] {1, 3});
        try (WellDataset d = WellDataset.builder(file).windows(WindowSpec.evaluation(2, 1, 1))
                .extendVocabulary(true).build()) {
            // windows per trajectory: 5 - 3 + 1 = 3; trajectory 1 starts at 3. Window 3 covers steps 0..2: clean.
            d.sample(3, new Random(0));
            String m = oneLine(assertThrows(UserError.class, () -> d.sample(4, new Random(0))), file);
            assertTrue(m.endsWith("field 'density' has NaN in channel density of trajectory 1, step 3"), m);
        }
    }

    @Test
    void nanStopsStatisticsWithItsLocation() {
        Path file = SyntheticWellFile.write(tmp, "n.hdf5", s -> s.nanAt = new int[] {0, 4});
        String m = oneLine(assertThrows(UserError.class, () -> Stats.compute(java.util.List.of(file), null)), file);
        assertTrue(m.endsWith("field 'density' has NaN in channel density at trajectory 0, step 4"), m);
    }

    @Test
    void infFromATransformIsNamedWithTheTransform() {
        Path file = SyntheticWellFile.write(tmp, "i.hdf5", s -> { });
        try (WellDataset d = WellDataset.builder(file).windows(WindowSpec.evaluation(1, 1, 1)).extendVocabulary(true)
                .options(new WellDatasetOptions(Map.of("velocity", FieldTransform.LOG10), 1, 1, 1)).build()) {
            String m = oneLine(assertThrows(UserError.class, () -> d.sample(0, new Random(0))), file);
            assertTrue(m.endsWith("field 'velocity' (after log10) has Inf in channel velocity_x of trajectory 0, step 0"),
                    m);
        }
    }

    @Test
    void unknownFieldListsTheVocabularyAndHowToExtendIt() {
        Path file = WellFixtures.dataset("periodic2d").resolve("data/test/periodic2d_test_00.hdf5");
        UserError e = assertThrows(UserError.class, () -> WellDataset.builder(file).build());
        String m = e.getMessage();
        assertEquals(1, m.lines().count());
        assertTrue(m.startsWith("dataset 'periodic2d': field diffusivity is not in the Walrus field vocabulary of 67"
                + " names (closed_boundary, open_boundary, bias_correction, pressure,"), m);
        assertTrue(m.contains("--extend-vocabulary") && m.contains("field_index_map_override"), m);
    }

    @Test
    void missingPath() {
        Path nowhere = tmp.resolve("nowhere");
        assertTrue(assertThrows(UserError.class, () -> WellPaths.resolve(nowhere, "train")).getMessage()
                .endsWith("no such file or folder"));
        Path root = WellFixtures.dataset("walls2d");
        String m = assertThrows(UserError.class, () -> WellPaths.resolve(root, "training")).getMessage();
        assertTrue(m.endsWith("no split 'training' under data/ (found [test, train, valid])"), m);
    }
}
