package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the data benchmark: every byte it reports was read and checked against the generator. */
class DataBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void smallRunReadsAndChecksEveryWindowAndTrajectory() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        DataBenchmark.Options options = new DataBenchmark.Options(32, 2, 30, 10, 2);
        DataBenchmark.Report report = DataBenchmark.run(new PrintStream(text, true, StandardCharsets.UTF_8),
                options, dir);

        long frameBytes = 4L * 32 * 32 * 4; // density, pressure, velocity_x, velocity_y
        assertEquals(10 * 7 * frameBytes, report.windowsHyperslab().bytes());
        assertEquals(10 * 7 * frameBytes, report.windowsChunks().bytes());
        assertEquals(2 * 30 * frameBytes, report.trajectoriesHyperslab().bytes());
        assertEquals(2 * 30 * frameBytes, report.trajectoriesChunks().bytes());
        // Frames read per field, by both ways, warm-up included (3 windows, 2 trajectories), each spot-checked
        // every 997 values: 2 checks in a density or pressure frame (1024 values), 3 in a velocity frame (2048).
        long frameChecks = ((10 + 3) * 7 + (2 + 2) * 30) * 2;
        assertEquals(frameChecks * (2 + 2 + 3), report.valuesChecked());
        assertTrue(report.h5pyMBs().orElseThrow() > 0, "h5py reference rate measured");
        String output = text.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("values read back, all equal to what was written"), output);
    }
}
