package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.api.RolloutFixtures.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheOneStepTableAndWritesItsFiles() {
        Path out = dir.resolve("eval");
        CapturedRun r = CapturedRun.of("eval", "--checkpoint", CHECKPOINT.toString(), "--config", config(dir).toString(),
                "--data", PERIODIC_VALID_FILE.toString(), "--windows", "1", "--rollout-steps", "0", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("periodic2d (periodic2d_valid_00.hdf5): one-step VRMSE over 1 of 12 windows, 6 input frames\n"), r.out());
        assertTrue(r.out().contains("\nfull "), r.out());
        assertTrue(r.out().endsWith("wrote " + out + "\n"), r.out());
        assertTrue(r.err().contains("eval: 1/1 forward passes (100%)"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("one_step.csv")));
        assertFalse(Files.exists(out.resolve("index.html")), "no rollout, no rollout report");
    }

    @Test
    void badOptionsAreOneLine() {
        CapturedRun r = CapturedRun.of("eval", "--checkpoint", CHECKPOINT.toString(), "--config", config(dir).toString(),
                "--data", PERIODIC_VALID_FILE.toString(), "--windows", "0", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertEquals(List.of("walrus: --windows must be at least 1, got 0"), r.messages());
    }
}
