package org.walrusjava.api;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.api.RolloutFixtures.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.data.WellFile;
import org.walrusjava.io.ExperimentConfig;

/** Model windows read from the Well fixtures, checked value by value against the file. */
class WellWindowsTest {
    @TempDir
    Path dir;

    private static WellWindows.Request request(Path data, String split, int trajectory, int start, int history,
                                               int stride) {
        return new WellWindows.Request(data, split, trajectory, start, OptionalInt.of(history), stride, Optional.empty());
    }

    /** Element (t, 0, c, p) of a (T, 1, C, H, W, 1) window. */
    private static float at(float[] raw, int channels, int cells, int t, int c, int p) {
        return raw[(t * channels + c) * cells + p];
    }

    @Test
    void windowHoldsTheFileFramesInflatedWithConstantsAndTheTruthAfterIt() {
        ExperimentConfig config = ExperimentConfig.load(config(dir));
        // Global trajectory 2 is trajectory 0 of the second training file; frames 1, 3, 5, 7 then truth 9.
        WellWindow w = WellWindows.read(config, request(PERIODIC, "train", 2, 1, 4, 2), WellWindows.Truth.exactly(1));
        CaseSpec c = w.caseSpec();
        assertEquals(List.of("density", "pressure", "velocity_x", "velocity_y", "velocity_z"), c.variableFields());
        assertEquals(List.of("diffusivity"), c.constantFields());
        assertArrayEquals(new long[] {28, 3, 4, 5, 6, DIFFUSIVITY_INDEX}, c.fieldIndices());
        assertArrayEquals(new boolean[] {true, true, true, true, false}, c.paddedFieldMask());
        assertArrayEquals(new int[][] {{2, 2}, {2, 2}, {2, 2}}, c.bcs());
        assertArrayEquals(new long[] {4, 1, 6, 32, 32, 1}, w.raw().shape());
        assertNull(w.solid());

        Path file = periodicTrainFile(1);
        assertEquals(file, w.source().file());
        assertEquals(0, w.source().trajectoryInFile());
        assertArrayEquals(new int[] {1, 3, 5, 7, 9}, w.source().steps());
        float[] raw = w.raw().toFloatArray();
        int cells = 32 * 32;
        float[] diffusivity = storedChannel(file, 0, 0, "diffusivity", 0);
        for (int t = 0; t < 4; t++) {
            int step = 1 + 2 * t;
            float[] density = storedChannel(file, 0, step, "density", 0);
            float[] velocityY = storedChannel(file, 0, step, "velocity", 1);
            for (int p = 0; p < cells; p++) {
                assertEquals(density[p], at(raw, 6, cells, t, 0, p), "density, frame " + t + ", cell " + p);
                assertEquals(velocityY[p], at(raw, 6, cells, t, 3, p));
                assertEquals(0f, at(raw, 6, cells, t, 4, p), "the padded velocity_z");
                assertEquals(diffusivity[p], at(raw, 6, cells, t, 5, p), "the constant on every frame");
            }
        }
        assertArrayEquals(storedChannel(file, 0, 9, "pressure", 0), w.truth()[0][1]);
        assertArrayEquals(storedChannel(file, 0, 7, "velocity", 0), w.lastInput()[2]);
        try (WellFile f = WellFile.open(file)) {
            float[] time = f.time(0);
            assertArrayEquals(new float[] {time[1], time[3], time[5], time[7], time[9]}, w.source().times());
        }
    }

    @Test
    void log10FieldsAreReadInModelSpaceAndMappedBackToPhysicalUnits() {
        ExperimentConfig config = ExperimentConfig.load(log10Config(dir));
        WellWindow w = WellWindows.read(config, request(PERIODIC_VALID_FILE, "", 1, 0, 2, 1),
                WellWindows.Truth.atMost(1));
        assertEquals("log10_density", w.caseSpec().variableFields().getFirst());
        assertEquals(55, w.caseSpec().fieldIndices()[0], "log10_density's vocabulary index");
        float[] stored = storedChannel(PERIODIC_VALID_FILE, 1, 2, "density", 0);
        float[] model = w.truth()[0][0];
        var physical = w.source().physical();
        assertArrayEquals(new int[] {0, 1, 2, 3}, physical.modelChannel(), "density, pressure, velocity_x, velocity_y");
        for (int p = 0; p < stored.length; p++) {
            assertEquals(Math.log10(stored[p]), model[p], 1e-6);
            assertEquals(stored[p], physical.toPhysical(0, model[p]), 2e-6 * stored[p]);
        }
        assertEquals(0.5f, physical.toPhysical(1, 0.5f), "pressure is not transformed");
    }

    @Test
    void threeDimensionalDataGetsThreeInputFramesByDefault() {
        ExperimentConfig config = ExperimentConfig.load(config3d(dir));
        Path tensor3d = FIXTURES.resolve("well/datasets/tensor3d/data/train");
        WellWindow w = WellWindows.read(config, new WellWindows.Request(tensor3d, "", 0, 0, OptionalInt.empty(), 1,
                Optional.empty()), WellWindows.Truth.atMost(1));
        // density, velocity (3), D (9) | temperature_background
        assertArrayEquals(new long[] {3, 1, 14, 16, 16, 16}, w.raw().shape());
        assertArrayEquals(new int[][] {{2, 2}, {0, 0}, {1, 1}}, w.caseSpec().bcs(), "x periodic, y wall, z open");
    }

    @Test
    void badRequestsAreOneClearError() {
        ExperimentConfig config = ExperimentConfig.load(config(dir));
        UserError tooLong = assertThrows(UserError.class, () -> WellWindows.read(config,
                request(PERIODIC, "train", 0, 0, 6, 1), WellWindows.Truth.exactly(7)));
        assertTrue(tooLong.getMessage().contains("trajectory 0 has 12 steps (0..11): only 6 frames follow the window"
                + " (steps 0..5 at stride 1), so it cannot be rolled out 7 steps"), tooLong.getMessage());

        UserError late = assertThrows(UserError.class, () -> WellWindows.read(config,
                request(PERIODIC, "train", 0, 10, 6, 1), WellWindows.Truth.atMost(1)));
        assertTrue(late.getMessage().endsWith("a window of 6 frames at stride 1 from step 10 would end at step 15"),
                late.getMessage());

        UserError missing = assertThrows(UserError.class, () -> WellWindows.read(config,
                request(PERIODIC, "train", 4, 0, 6, 1), WellWindows.Truth.atMost(1)));
        assertTrue(missing.getMessage().endsWith("no trajectory 4; the data has 4 (0..3)"), missing.getMessage());

        ExperimentConfig released = ExperimentConfig.load(TINY_CONFIG);
        UserError unknown = assertThrows(UserError.class, () -> WellWindows.read(released,
                request(PERIODIC, "train", 0, 0, 6, 1), WellWindows.Truth.atMost(1)));
        assertTrue(unknown.getMessage().contains("field diffusivity of dataset 'periodic2d' is not in the model's"
                + " vocabulary of 67 fields"), unknown.getMessage());
        assertFalse(unknown.getMessage().contains("\n"));
    }
}
