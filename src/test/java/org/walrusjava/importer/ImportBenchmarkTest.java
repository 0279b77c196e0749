package org.walrusjava.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the import benchmark: both formats import the generated data and report a rate. */
class ImportBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void npzAndVtiImportTheSameDataAndReportRates() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ImportBenchmark.Report report = ImportBenchmark.run(new PrintStream(text, true, StandardCharsets.UTF_8),
                new ImportBenchmark.Options(32, 4, 3), dir);
        assertEquals(4L * 3 * 4 * 3 * 32 * 32, report.sourceBytes());
        assertTrue(report.npzMBs() > 0 && report.vtiMBs() > 0, report.toString());
        String output = text.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("walrus bench data, import: 4 trajectories x 3 steps, 32x32 grid, 3 channels: 0 MB"), output);
        assertTrue(output.contains("  import npz (deflated, one array per field)"), output);
        assertTrue(output.contains("  import vti (appended raw, zlib, one file per step)"), output);
    }
}
