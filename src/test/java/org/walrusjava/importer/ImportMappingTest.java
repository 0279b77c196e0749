package org.walrusjava.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.data.WellFile;
import org.walrusjava.sim.BoundaryType;

/** The README's mapping file parses to what its comments say; a pattern source is one trajectory per file. */
class ImportMappingTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleMeansWhatItsCommentsSay() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### The mapping file");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        Path yaml = Files.writeString(dir.resolve("MAP.yaml"), readme.substring(start, readme.indexOf("```", start)));
        ImportMapping m = ImportMapping.load(yaml);
        assertEquals("my_flow", m.dataset());
        assertEquals(List.of(dir.resolve("runs/*.npz")), m.source());
        assertEquals(List.of("x", "y"), m.spatialNames());
        assertEquals(0.19634954, m.grid().get(0).spacing());
        assertEquals("y", m.grid().get(1).coordinates());
        assertEquals(0.05, m.time().dt());
        assertEquals(BoundaryType.PERIODIC, m.boundaries().get(0).lower());
        assertEquals(BoundaryType.WALL, m.boundaries().get(1).lower());
        assertEquals(BoundaryType.OPEN, m.boundaries().get(1).upper());
        assertEquals(List.of("density", "velocity", "pressure", "magnetic_field", "log10_density", "speed_of_sound",
                "vorticity"), m.fields().stream().map(ImportMapping.FieldMapping::name).toList());
        ImportMapping.FieldMapping magnetic = m.fields().get(3);
        assertEquals(List.of(4, 5), magnetic.channels());
        assertEquals(List.of("traj", "time", "x", "y", "channel"), magnetic.axes());
        ImportMapping.FieldMapping log = m.fields().get(4);
        assertEquals(1e-3, log.scale());
        assertTrue(log.log10());
        assertTrue(m.fields().get(5).constant());
        assertEquals(List.of("x", "y"), m.fields().get(5).axes());
        assertTrue(m.fields().get(6).isNew());
        assertEquals(0, m.fields().get(6).order());
        assertNull(m.fields().get(0).order());
        assertEquals(0.8, m.splits().train());
    }

    @Test
    void aPatternSourceIsOneTrajectoryPerFileInNameOrder() throws IOException {
        PythonScripts.run("""
                import sys, os, numpy as np
                os.makedirs(sys.argv[1] + '/runs')
                for n in range(3):
                    t, i, j = np.meshgrid(np.arange(2), np.arange(32), np.arange(32), indexing='ij')
                    np.savez(f'{sys.argv[1]}/runs/run_{n}.npz', p=(n + 0.5 * t + 0.25 * i + j).astype(np.float32))
                """, dir);
        Path yaml = Files.writeString(dir.resolve("runs.yaml"), """
                dataset: runs
                source: "runs/*.npz"
                axes: [traj, time, x, y]
                grid: {x: {spacing: 1}, y: {spacing: 1}}
                time: {dt: 1}
                boundaries: {x: OPEN, y: OPEN}
                fields:
                  pressure: {array: p}
                splits: {train: 0.34, valid: 0.33, test: 0.33, seed: 0}
                """);
        DatasetImporter.Result r = DatasetImporter.run(ImportMapping.load(yaml), dir.resolve("root"), false, false, (d, t) -> { });
        assertEquals(3, r.trajectories());
        for (String split : List.of("train", "valid", "test")) {
            int n = r.trajectoriesBySplit().get(split).getFirst();
            try (WellFile w = WellFile.open(r.files().get(split))) {
                assertEquals(n + 0.5f + 0.25f * 3 + 4, w.readFrames(w.field("pressure"), 0, 1, 1, 1)[3 * 32 + 4]);
            }
        }
    }
}
