package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.tensor.Tensor;

/** trace and summary through the CLI, and the one-line errors for bad checkpoints and configs. */
class ModelCommandsTest {
    static final Path TINY = TinyFixtures.DIR;
    static final Path RELEASED_CONFIG = TINY.resolveSibling("walrus-released").resolve("extended_config.yaml");

    @Test
    void traceReplaysRecordedRollsAndWritesEveryIntermediate(@TempDir Path dir) throws Exception {
        Path caseFile = dir.resolve("v1.json");
        Files.writeString(caseFile, TinyFixtures.cases().get("cases").get("v1").toString());
        Path out = dir.resolve("trace.safetensors");
        CliRun r = CliRun.of("trace", "--checkpoint", TINY.resolve("walrus.pt").toString(), "--config",
                TINY.resolve("extended_config.yaml").toString(), "--case", caseFile.toString(), "--input",
                TINY.resolve("case_v1.safetensors").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Tensor> ours = SafeTensors.read(out);
        Map<String, Tensor> ref = TinyFixtures.tensors("case_v1.safetensors");
        assertEquals(java.util.List.of("sample_rms", "delta_rms", "normalized_input", "encoder_input_padded",
                "encoder_output", "block0_output", "model_output", "pred_next_frame"), java.util.List.copyOf(ours.keySet()));
        for (String k : ours.keySet()) TinyFixtures.assertClose(k, ref.get(k), ours.get(k), 2e-5, 2e-5);
    }

    @Test
    void summaryListsTheReleasedStateDictWithoutWeights() throws Exception {
        CliRun r = CliRun.of("summary", "--config", RELEASED_CONFIG.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(1_286_199_047L, doc.get("parameters").asLong());
        assertEquals(857, doc.get("tensors").size());
        assertEquals("[352,67,8,8,8]", doc.get("tensors").get("embed.2.proj1.weight").toString());
    }

    @Test
    void truncatedCheckpointIsOneLineError(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("walrus.pt");
        byte[] all = Files.readAllBytes(TINY.resolve("walrus.pt"));
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        CliRun r = CliRun.of("trace", "--checkpoint", cut.toString(), "--config", TINY.resolve("extended_config.yaml").toString(),
                "--case", caseA(dir).toString(), "--input", TINY.resolve("case_a.safetensors").toString(), "--out",
                dir.resolve("o.safetensors").toString());
        assertEquals(2, r.code());
        assertOneLine(r.err(), "walrus.pt");
        assertFalse(Files.exists(dir.resolve("o.safetensors")));
    }

    @Test
    void checkpointOfAnotherSizeNamesTheMismatchedKeys(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("trace", "--checkpoint", TINY.resolve("walrus.pt").toString(), "--config",
                RELEASED_CONFIG.toString(), "--case", caseA(dir).toString(), "--input",
                TINY.resolve("case_a.safetensors").toString(), "--out", dir.resolve("o.safetensors").toString());
        assertEquals(2, r.code());
        assertOneLine(r.err(), "missing keys");
        assertTrue(r.err().contains("mis-shaped") && r.err().contains("embed.2.proj1.weight"), r.err());
    }

    @Test
    void brokenConfigIsOneLineError(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "model:\n  hidden_dim: [oops\n");
        CliRun r = CliRun.of("summary", "--config", cfg.toString());
        assertEquals(2, r.code());
        assertOneLine(r.err(), "bad.yaml");
    }

    @Test
    void inputOfTheWrongShapeIsOneLineError(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("trace", "--checkpoint", TINY.resolve("walrus.pt").toString(), "--config",
                TINY.resolve("extended_config.yaml").toString(), "--case", caseA(dir).toString(), "--input",
                TINY.resolve("case_b.safetensors").toString(), "--out", dir.resolve("o.safetensors").toString());
        assertEquals(2, r.code());
        assertOneLine(r.err(), "shape");
    }

    static Path caseA(Path dir) throws Exception {
        Path f = dir.resolve("a.json");
        Files.writeString(f, TinyFixtures.cases().get("cases").get("a").toString());
        return f;
    }

    static void assertOneLine(String err, String mustContain) {
        String trimmed = err.lines().filter(l -> !l.startsWith("SLF4J") && !l.startsWith("WARNING")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, trimmed.lines().count(), "expected one line, got:\n" + err);
        assertTrue(trimmed.startsWith("walrus: "), trimmed);
        assertTrue(trimmed.contains(mustContain), "'" + mustContain + "' not in: " + trimmed);
    }
}
