package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading files written by another HDF5 writer (jhdf: bitfield booleans, fixed-length strings), with tiling. */
class WellFileSyntheticTest {
    @TempDir
    Path tmp;

    /** A field with dim_varying [true, false] is tiled along y whether stored as [X] or as [X, 1]. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tilesFieldsAlongAxesTheyDoNotVaryOn(boolean singletonAxis) {
        Path file = SyntheticWellFile.write(tmp, "s.hdf5", s -> s.bumpWithSingletonAxis = singletonAxis);
        try (WellFile w = WellFile.open(file)) {
            FieldInfo bump = w.field("bump");
            assertArrayEquals(new boolean[] {true, false}, bump.dimVarying());
            assertEquals(List.of("bump"), w.constantChannels());
            float[] values = w.readConstant(bump, 0);
            assertEquals(SyntheticWellFile.NX * SyntheticWellFile.NY, values.length);
            for (int x = 0; x < SyntheticWellFile.NX; x++) {
                for (int y = 0; y < SyntheticWellFile.NY; y++) {
                    assertEquals(SyntheticWellFile.bump(x), values[x * SyntheticWellFile.NY + y], "x=" + x + " y=" + y);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void readsStridedWindowsChannelsLast(int stride) {
        Path file = SyntheticWellFile.write(tmp, "s.hdf5", s -> { });
        try (WellFile w = WellFile.open(file)) {
            assertEquals(List.of("density", "velocity_x", "velocity_y", "stress_xx", "stress_xy", "stress_yx",
                    "stress_yy"), w.variableChannels());
            assertArrayEquals(new int[][] {{2, 2}, {0, 0}}, w.boundaryConditions());
            assertEquals(10.0, (Double) w.simulationParameters().get("Re"));
            float[] window = w.readVariableWindow(1, 1, 2, stride);
            int c = 7;
            int ny = SyntheticWellFile.NY;
            for (int f = 0; f < 2; f++) {
                int t = 1 + f * stride;
                for (int x = 0; x < SyntheticWellFile.NX; x++) {
                    for (int y = 0; y < ny; y++) {
                        int base = ((f * SyntheticWellFile.NX + x) * ny + y) * c;
                        assertEquals(SyntheticWellFile.density(1, t, x, y), window[base]);
                        assertEquals(x - t, window[base + 1]);
                        assertEquals(y + 1, window[base + 2]);
                        assertArrayEquals(new float[] {1, x, y, t}, java.util.Arrays.copyOfRange(window, base + 3, base + 7));
                    }
                }
            }
            assertFalse(w.field("stress").symmetric());
        }
    }
}
