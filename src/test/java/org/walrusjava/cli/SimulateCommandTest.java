package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.data.WellFile;

/** `walrus simulate` through the real CLI entry point, including its one-line failures. */
class SimulateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesADatasetRootAndSaysWhatItWrote() {
        Path out = tmp.resolve("gs");
        CliRun r = CliRun.of("simulate", "gray_scott_2d", "--out", out.toString(), "--trajectories", "5", "--steps",
                "6", "--resolution", "32", "--seed", "3", "--splits", "0.6,0.2,0.2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out.toAbsolutePath() + ": 5 trajectories of 6 frames at 32x32"
                + " (train 3, valid 1, test 1)\n"), r.out());
        assertTrue(r.out().contains("persistence 1-step VRMSE (mean over trajectories): train "), r.out());
        assertTrue(r.err().contains("simulate gray_scott_2d: 30/30 frames (100%)"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("stats.yaml")));
        assertTrue(Files.isRegularFile(out.resolve("gray_scott_2d.yaml")));
        try (WellFile w = WellFile.open(out.resolve("data/valid/gray_scott_2d_valid_000.hdf5"))) {
            assertEquals(6, w.nSteps());
        }
    }

    @Test
    void badInputIsOneLineWithoutOutput() {
        Path out = tmp.resolve("x");
        CliRun unknown = CliRun.of("simulate", "burgers", "--out", out.toString());
        assertEquals(2, unknown.code());
        assertEquals("walrus: unknown system 'burgers'; known systems: navier_stokes_2d, acoustics_2d,"
                + " acoustics_2d_closed, gray_scott_2d, advection_diffusion_3d\n", unknown.err());
        CliRun grid = CliRun.of("simulate", "advection_diffusion_3d", "--out", out.toString(), "--resolution", "32");
        assertEquals(2, grid.code());
        assertEquals("walrus: advection_diffusion_3d: resolution 32 is not accepted by the Walrus stride table for 3-D"
                + " data; use one of [16, 64, 128, 192, 256, 384, 512]\n", grid.err());
        CliRun few = CliRun.of("simulate", "navier_stokes_2d", "--out", out.toString(), "--trajectories", "2");
        assertEquals("walrus: --trajectories: at least 3 are needed (one per split), got 2\n", few.err());
        assertFalse(Files.exists(out));
    }
}
