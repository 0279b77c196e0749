package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.data.WellFile;

/**
 * walrus fields and walrus import from the command line: --suggest on a numpy-written file proposes the right names
 * and periodic axes, and its draft mapping imports as it stands.
 */
class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void fieldsListsTheVocabularyWithOrdersAndTrainingDatasets() throws IOException {
        CliRun r = CliRun.of("fields", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(67, rows.size());
        JsonNode velocityX = rows.get(4);
        assertEquals("velocity_x", velocityX.get("name").asText());
        assertEquals("velocity", velocityX.get("field").asText());
        assertEquals(1, velocityX.get("tensor_order").asInt());
        assertEquals("x", velocityX.get("component").asText());
        assertEquals(13, velocityX.get("datasets").size());
        JsonNode dxy = rows.get(11);
        assertEquals("D_xy", dxy.get("name").asText());
        assertEquals(2, dxy.get("tensor_order").asInt());
        assertEquals("[\"active_matter\"]", dxy.get("datasets").toString());
        assertEquals("[\"helmholtz_staircase\"]", rows.get(38).get("datasets").toString());
        assertEquals(0, rows.get(0).get("datasets").size());
        assertEquals("c_zz", rows.get(57).get("field").asText());
        assertEquals(0, rows.get(57).get("tensor_order").asInt());
        assertEquals(0, rows.get(30).get("datasets").size()); // velocity_r: convective_envelope_rsg is not in the mix

        CliRun table = CliRun.of("fields");
        assertEquals(68, table.out().lines().count());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("44 +height +height +0 +fluid layer height.*; planetswe")),
                table.out());
    }

    @Test
    void suggestProposesNamesAndPeriodicAxesAndItsDraftImports() throws IOException {
        // x is periodic with the end point repeated (cos(2 pi i / 31) over 32 points); y is not
        org.walrusjava.importer.PythonScripts.run("""
                import sys, numpy as np
                n, t, i, j = np.meshgrid(np.arange(3), np.arange(3), np.arange(32), np.arange(32), indexing='ij')
                wave = np.cos(2 * np.pi * i / 31) * (1 + 0.01 * j) + 0.1 * n + 0.01 * t
                np.savez(sys.argv[1], rho=(2 + wave).astype(np.float32), u=wave, v=-wave,
                         p=(5 + wave).astype(np.float32), T=(300 + wave).astype(np.float32))
                """, dir.resolve("run.npz"));
        CliRun r = CliRun.of("import", "--suggest", dir.resolve("run.npz").toString());
        assertEquals(0, r.code(), r.err());
        String text = r.out();
        assertTrue(text.contains("#   rho: shape [3, 3, 32, 32], axes guessed [traj, time, x, y], values 0.696721 .. 3.53000;"), text);
        assertTrue(text.contains("closest: density (alias rho)"), text);
        assertTrue(text.contains("closest: velocity_x (alias u)"), text);
        assertTrue(text.contains("closest: velocity_y (alias v)"), text);
        assertTrue(text.contains("closest: pressure (alias p)"), text);
        assertTrue(text.contains("closest: temperature (alias T)"), text);
        assertTrue(text.contains("# axes that look periodic (first and last slabs equal): x\n"), text);
        List<String> fields = new ArrayList<>(text.substring(text.indexOf("fields:\n")).lines().skip(1)
                .takeWhile(l -> l.startsWith("  ")).map(String::strip).toList());
        assertEquals(List.of("density: {array: rho}", "pressure: {array: p}", "temperature: {array: T}",
                "velocity: {arrays: [u, v]}"), fields);
        assertTrue(text.contains("  x: PERIODIC\n  y: WALL  # or OPEN\n"), text);

        Path draft = Files.writeString(dir.resolve("run.yaml"), text);
        Path out = dir.resolve("root");
        CliRun imported = CliRun.of("import", "--spec", draft.toString(), "--out", out.toString());
        assertEquals(0, imported.code(), imported.err());
        assertEquals("wrote " + out + ": 3 trajectories of 3 steps at 32x32 (train 1, valid 1, test 1)",
                imported.out().strip());
        assertTrue(imported.err().contains("import run: 9/9 frames (100%)"), imported.err());
        try (WellFile w = WellFile.open(out.resolve("data/valid/run_valid.hdf5"))) {
            assertEquals(List.of("density", "pressure", "temperature", "velocity_x", "velocity_y"), w.variableChannels());
            assertEquals(1.0f, w.coordinates("x")[1]);
            assertEquals(2.0f, w.time(0)[2]);
        }
    }

    @Test
    void importWithoutOutAndWithBothModesIsOneLine() {
        CliRun noOut = CliRun.of("import", "--spec", dir.resolve("map.yaml").toString());
        assertEquals(2, noOut.code());
        assertEquals("walrus: --spec needs --out DATASET_ROOT (see 'walrus import --help')", noOut.err().strip());
        CliRun missing = CliRun.of("import", "--spec", dir.resolve("map.yaml").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().strip().startsWith("walrus: " + dir.resolve("map.yaml") + ": cannot read"), missing.err());
    }
}
