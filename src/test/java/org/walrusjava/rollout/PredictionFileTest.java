package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.*;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.data.BoundaryGroup;
import org.walrusjava.data.FieldInfo;
import org.walrusjava.data.FieldTransform;
import org.walrusjava.data.WellFile;

/** Predicted frames written back as a Well file shaped like their source. */
class PredictionFileTest {
    static final Path WALLS = Path.of(System.getProperty("walrus.fixtures"),
            "well/datasets/walls2d/data/train/walls2d_train_00.hdf5");

    @TempDir
    Path dir;

    /** Model frames [step][channel][cell] over buoyancy, pressure, velocity_x, velocity_y and the padded velocity_z. */
    private static float[][][] frames(int steps, float offset) {
        float[][][] out = new float[steps][5][128 * 32];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < 4; c++) {
                for (int p = 0; p < 128 * 32; p++) out[t][c][p] = offset + t + 0.1f * c + 1e-4f * p;
            }
        }
        return out;
    }

    private static float[] values(Path file, String group) {
        try (HdfFile hdf = new HdfFile(file)) {
            return (float[]) hdf.getDatasetByPath("boundary_conditions/" + group + "/values").getData();
        }
    }

    @Test
    void framesAreWrittenInTheSourcesLayoutWithItsBoundariesAndUnits() {
        PhysicalChannels channels = new PhysicalChannels(new int[] {0, 1, 2, 3},
                new FieldTransform[] {FieldTransform.LOG10, null, null, null});
        PredictionFile.Source source = new PredictionFile.Source(WALLS, 0, new int[] {4, 5}, new float[] {0.4f, 0.5f},
                channels);
        Path target = dir.resolve(PredictionFile.NAME);
        float[][][] first = frames(2, 0), second = frames(2, 1);
        assertEquals(2, PredictionFile.write(target, source, List.of(first, second), 2));

        try (WellFile src = WellFile.open(WALLS); WellFile out = WellFile.open(target)) {
            assertEquals(src.variableChannels(), out.variableChannels());
            assertArrayEquals(src.boundaryConditions(), out.boundaryConditions());
            assertEquals(2, out.nTrajectories());
            assertArrayEquals(new float[] {0.4f, 0.5f}, out.time(0));
            List<BoundaryGroup> a = src.boundaryGroups(), b = out.boundaryGroups();
            assertEquals(a.size(), b.size());
            for (int g = 0; g < a.size(); g++) {
                assertEquals(a.get(g).name(), b.get(g).name());
                assertEquals(a.get(g).bcType(), b.get(g).bcType());
                assertEquals(a.get(g).associatedFields(), b.get(g).associatedFields());
                assertArrayEquals(a.get(g).mask(), b.get(g).mask());
                assertArrayEquals(values(WALLS, a.get(g).name()), values(target, a.get(g).name()), a.get(g).name());
            }
            assertArrayEquals(new float[] {1, 0}, values(target, "y_wall"), "buoyancy 1 and 0 on the walls");
            assertEquals(src.scalarValues("Rayleigh")[0], out.scalarValues("Rayleigh")[0]);

            FieldInfo buoyancy = out.field("buoyancy"), velocity = out.field("velocity");
            float[] b1 = out.readFrames(buoyancy, 1, 1, 1, 1);
            float[] v0 = out.readFrames(velocity, 0, 0, 1, 1);
            for (int p = 0; p < 128 * 32; p++) {
                assertEquals(Math.pow(10, second[1][0][p]), b1[p], 1e-6 * b1[p], "10^x undoes log10");
                assertEquals(first[0][2][p], v0[2 * p], "velocity_x");
                assertEquals(first[0][3][p], v0[2 * p + 1], "velocity_y");
            }
        }
    }

    @Test
    void theFileEndsBeforeAFrameThatOverflowsInPhysicalUnits() {
        PhysicalChannels channels = new PhysicalChannels(new int[] {0, 1, 2, 3},
                new FieldTransform[] {FieldTransform.LOG10, null, null, null});
        float[][][] frames = frames(3, 0);
        frames[2][0][77] = 50f; // 10^50 is beyond float32
        Path target = dir.resolve(PredictionFile.NAME);
        assertEquals(2, PredictionFile.write(target, new PredictionFile.Source(WALLS, 0, new int[] {4, 5, 6},
                new float[] {0.4f, 0.5f, 0.6f}, channels), List.<float[][][]>of(frames), 3));
        try (WellFile out = WellFile.open(target)) {
            assertEquals(2, out.nSteps());
        }
        frames[0][0][0] = 50f;
        Path none = dir.resolve("none.hdf5");
        assertEquals(0, PredictionFile.write(none, new PredictionFile.Source(WALLS, 0, new int[] {4}, new float[] {0.4f},
                channels), List.<float[][][]>of(frames), 1));
        assertFalse(none.toFile().exists());
    }
}
