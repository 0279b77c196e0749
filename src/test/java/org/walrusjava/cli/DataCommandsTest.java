package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `walrus inspect`, `export` and `stats` through the real CLI entry point, including their failures. */
class DataCommandsTest {
    private static final Path WELL = Path.of(System.getProperty("walrus.fixtures"), "well");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** --json carries the sidecar's keys and values, for files and folders alike. */
    @Test
    void inspectJsonMatchesTheSidecar() throws IOException {
        for (Path file : List.of(WELL.resolve("datasets/tensor3d/data/valid/tensor3d_valid_00.hdf5"),
                WELL.resolve("dummy/dummy.hdf5"))) {
            CliRun r = CliRun.of("inspect", file.toString(), "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode got = JSON.readTree(r.out());
            JsonNode truth = JSON.readTree(file.resolveSibling(file.getFileName().toString()
                    .replace(".hdf5", ".truth.json")).toFile());
            for (String key : List.of("dataset_name", "grid_type", "n_spatial_dims", "n_trajectories",
                    "n_steps_per_trajectory", "spatial_dims", "spatial_resolution", "boundary_conditions",
                    "variable_channels", "constant_channels")) {
                assertEquals(truth.get(key), got.get(key), file.getFileName() + " " + key);
            }
        }
        CliRun folder = CliRun.of("inspect", WELL.resolve("datasets/periodic2d/data/train").toString(), "--json");
        JsonNode f = JSON.readTree(folder.out());
        assertEquals(4, f.get("n_trajectories").asInt(), "2 files x 2 trajectories");
        assertEquals(12, f.get("n_steps_per_trajectory").asInt());
        assertEquals(2, f.get("files").size());
        CliRun root = CliRun.of("inspect", WELL.resolve("datasets/walls2d").toString());
        assertEquals(0, root.code());
        assertTrue(root.out().contains("x: PERIODIC / PERIODIC, y: WALL / WALL"), root.out());
        assertTrue(root.out().contains("split valid        1 file(s), 1 trajectories x 10 steps"), root.out());
        assertTrue(root.out().contains("parameters         {Rayleigh=1000000.0, Prandtl=1.0}"), root.out());
    }

    @Test
    void exportWritesChannelArrays() throws IOException {
        Path out = tmp.resolve("walls.npz");
        CliRun r = CliRun.of("export", WELL.resolve("datasets/walls2d/data/test/walls2d_test_00.hdf5").toString(),
                "--trajectory", "0", "--steps", "3:7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 4 arrays (buoyancy, pressure, velocity_x, velocity_y)"), r.out());
        byte[] head = Files.readAllBytes(out);
        assertEquals('P', head[0], "a zip (npz) file");
        assertEquals(List.of("walls.npz"), listing(tmp), "no temporary files left");
    }

    @Test
    void statsJsonReproducesExactStatistics() throws IOException {
        Path yaml = tmp.resolve("stats.yaml");
        CliRun r = CliRun.of("stats", WELL.resolve("datasets/periodic2d/data/train").toString(), "--json", "--out",
                yaml.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("stats: 48/48 frames (100%)"), r.err());
        JsonNode got = JSON.readTree(r.out());
        JsonNode exact = JSON.readTree(WELL.resolve("datasets/periodic2d/stats_exact.json").toFile());
        assertEquals(exact.get("std").get("density").asDouble(), got.get("std").get("density").asDouble(), 1e-12);
        assertEquals(exact.get("rms_delta").get("velocity").get(1).asDouble(),
                got.get("rms_delta").get("velocity").get(1).asDouble(), 1e-12);
        assertTrue(Files.readString(yaml).startsWith("mean:\n  density: "));
    }

    /** Each bad input: non-zero exit, one line on stderr naming the file, and no output file, not even partial. */
    @Test
    void badInputFailsCleanly() throws IOException {
        Path truncated = tmp.resolve("in/truncated.hdf5");
        Files.createDirectories(truncated.getParent());
        Files.copy(WELL.resolve("datasets/walls2d/data/train/walls2d_train_00.hdf5"), truncated);
        try (FileChannel ch = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        Path good = WELL.resolve("datasets/walls2d/data/train/walls2d_train_00.hdf5");
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        Path out = outDir.resolve("x.safetensors");
        List<String[]> cases = List.of(
                new String[] {"inspect", truncated.toString()},
                new String[] {"export", truncated.toString(), "--trajectory", "0", "--steps", "0:10", "--out",
                    out.toString()},
                new String[] {"stats", truncated.getParent().toString(), "--out", out.toString()},
                new String[] {"export", good.toString(), "--trajectory", "0", "--steps", "5:20", "--out",
                    out.toString()},
                new String[] {"export", good.toString(), "--trajectory", "0", "--steps", "five", "--out",
                    out.toString()},
                new String[] {"export", good.toString(), "--trajectory", "0", "--steps", "0:2", "--out",
                    out.toString(), "--format", "hdf5"},
                new String[] {"inspect", tmp.resolve("missing.hdf5").toString()});
        for (String[] args : cases) {
            CliRun r = CliRun.of(args);
            String what = String.join(" ", args);
            assertNotEquals(0, r.code(), what);
            List<String> lines = r.err().lines().filter(l -> l.startsWith("walrus: ")).toList();
            assertEquals(1, lines.size(), what + " -> " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertEquals(List.of(), listing(outDir), what + " left files behind");
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
