package org.walrusjava.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.data.WellFile;

/**
 * 3-D data from a folder of .npy files: a stacked float64 Fortran-order velocity [traj, time, x, y, z, channel] in
 * its own component order, and a per-trajectory constant field; --replace swaps an existing root.
 */
class NpyFolderImportTest {
    @TempDir
    Path dir;

    @Test
    void threeDimensionalStackedFortranArraysAndAPerTrajectoryConstant() throws IOException {
        PythonScripts.run("""
                import sys, os, numpy as np
                d = sys.argv[1] + '/arrays'
                os.makedirs(d)
                n, t, i, j, k = np.meshgrid(np.arange(3), np.arange(2), np.arange(16), np.arange(16), np.arange(16), indexing='ij')
                # channels stored z, x, y: the mapping picks them in x, y, z order
                vel = np.stack([k + 0.5 * n, i + 0.25 * t, j - n], -1)
                np.save(d + '/vel.npy', np.asfortranarray(vel))
                np.save(d + '/obstacle.npy', (n[:, 0] + i[:, 0] * 0.5).astype(np.float32))
                """, dir);
        Path yaml = Files.writeString(dir.resolve("3d.yaml"), """
                dataset: cube
                source: arrays
                axes: [traj, time, x, y, z, channel]
                grid: {x: {spacing: 0.5}, y: {spacing: 0.5}, z: {spacing: 0.5}}
                time: {dt: 1}
                boundaries: {x: PERIODIC, y: PERIODIC, z: WALL}
                fields:
                  velocity: {array: vel, channels: [1, 2, 0]}
                  mask: {array: obstacle, axes: [traj, x, y, z], constant: true}
                splits: {train: 0.34, valid: 0.33, test: 0.33, seed: 4}
                """);
        Path out = dir.resolve("root");
        DatasetImporter.Result r = DatasetImporter.run(ImportMapping.load(yaml), out, false, false, (d, t) -> { });
        assertArrayEquals(new int[] {16, 16, 16}, r.resolution());
        int n = r.trajectoriesBySplit().get("valid").getFirst();
        try (WellFile w = WellFile.open(r.files().get("valid"))) {
            assertEquals(List.of("velocity_x", "velocity_y", "velocity_z"), w.variableChannels());
            assertEquals(List.of("mask"), w.constantChannels());
            assertTrue(w.field("mask").sampleVarying());
            float[] v = w.readFrames(w.field("velocity"), 0, 1, 1, 1);
            int p = (3 * 16 + 5) * 16 + 7; // i = 3, j = 5, k = 7
            assertEquals(3 + 0.25f, v[3 * p]);
            assertEquals(5 - n, v[3 * p + 1]);
            assertEquals(7 + 0.5f * n, v[3 * p + 2]);
            assertEquals(n + 1.5f, w.readConstant(w.field("mask"), 0)[p]);
        }

        // an existing root is refused, then replaced on request
        UserError e = assertThrows(UserError.class, () -> DatasetImporter.run(ImportMapping.load(yaml), out, false, false,
                (d, t) -> { }));
        assertEquals(out + ": exists and is not empty; remove it or choose another --out", e.getMessage());
        Files.writeString(out.resolve("stale.txt"), "old");
        DatasetImporter.run(ImportMapping.load(yaml), out, true, false, (d, t) -> { });
        assertFalse(Files.exists(out.resolve("stale.txt")));
        assertTrue(Files.exists(out.resolve("cube.yaml")));
        try (var siblings = Files.list(dir)) {
            assertEquals(List.of("3d.yaml", "arrays", "root"), siblings.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no staging or unpacking folders are left behind");
        }
    }

    /**
     * Solvers that write one .npz per time step with unpadded step numbers: with {@code step_files: true} each source
     * entry is one trajectory, its files stacked along time in step-number order (step_10 after step_9), not by name.
     */
    @Test
    void oneNpzPerTimeStepPerTrajectoryInStepNumberOrder() throws IOException {
        PythonScripts.run("""
                import sys, os, numpy as np
                i, j = np.meshgrid(np.arange(32), np.arange(32), indexing='ij')
                for n in range(3):
                    d = sys.argv[1] + '/run%d' % n
                    os.makedirs(d)
                    for s in range(12):
                        np.savez(d + '/step_%d.npz' % s, rho=(1 + s + 100 * n + 0.01 * i).astype(np.float32),
                                 u=(s * 0.5 + j * 0.1 + n).astype(np.float64), v=(i - j + s).astype(np.float32))
                """, dir);
        Path yaml = Files.writeString(dir.resolve("steps.yaml"), """
                dataset: per_step
                source: ["run0/step_*.npz", "run1/step_*.npz", "run2"]
                step_files: true
                axes: [traj, time, x, y]
                grid: {x: {spacing: 0.1}, y: {spacing: 0.1}}
                time: {dt: 0.5}
                boundaries: {x: PERIODIC, y: WALL}
                fields:
                  density: {array: rho}
                  velocity: {arrays: [u, v]}
                splits: {train: 0.34, valid: 0.33, test: 0.33, seed: 1}
                """);
        DatasetImporter.Result r = DatasetImporter.run(ImportMapping.load(yaml), dir.resolve("root"), false, false,
                (d, t) -> { });
        int checked = 0;
        for (String split : List.of("train", "valid", "test")) {
            int n = r.trajectoriesBySplit().get(split).getFirst();
            try (WellFile w = WellFile.open(r.files().get(split))) {
                assertEquals(1, w.nTrajectories());
                assertEquals(12, w.nSteps());
                for (int s : new int[] {0, 2, 9, 10, 11}) {
                    float[] rho = w.readFrames(w.field("density"), 0, s, 1, 1);
                    float[] vel = w.readFrames(w.field("velocity"), 0, s, 1, 1);
                    int p = 3 * 32 + 5; // i = 3, j = 5
                    assertEquals(1 + s + 100 * n + 0.03f, rho[p], 1e-4f, split + " step " + s);
                    assertEquals(s * 0.5f + 0.5f + n, vel[2 * p], 1e-5f, split + " step " + s);
                    assertEquals(3 - 5 + s, vel[2 * p + 1], 0f, split + " step " + s);
                    checked++;
                }
            }
        }
        assertEquals(15, checked);
    }
}
