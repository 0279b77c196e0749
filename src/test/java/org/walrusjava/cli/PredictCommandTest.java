package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.api.RolloutFixtures.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.tensor.Tensor;

class PredictCommandTest {
    @TempDir
    Path dir;

    /** Fixture case NAME as the two files `walrus predict --input --case` reads. */
    static Path[] caseFiles(Path dir, String name) throws Exception {
        Path input = dir.resolve("case_" + name + "_input.safetensors");
        SafeTensors.write(input, Map.of("raw_input", TinyFixtures.tensors("case_" + name + ".safetensors").get("raw_input")));
        Path json = dir.resolve("case_" + name + ".json");
        new ObjectMapper().writeValue(json.toFile(), TinyFixtures.cases().get("cases").get(name));
        return new Path[] {input, json};
    }

    @Test
    void caseAWithoutJitterReproducesTheReferencePrediction() throws Exception {
        Path[] in = caseFiles(dir, "a");
        Path out = dir.resolve("pred.safetensors");
        CapturedRun r = CapturedRun.of("predict", "--checkpoint", CHECKPOINT.toString(), "--config",
                TINY_CONFIG.toString(), "--input", in[0].toString(), "--case", in[1].toString(), "--no-jitter",
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("wrote pred_next_frame [1, 1, 5, 32, 32, 1] (density, pressure, velocity_x,"
                + " velocity_y, velocity_z)"), r.out());
        TinyFixtures.assertClose("pred_next_frame", TinyFixtures.tensors("case_a.safetensors").get("pred_next_frame"),
                SafeTensors.read(out).get("pred_next_frame"), 2e-5, 2e-5);
    }

    @Test
    void aWindowOfWellDataGivesOneFiniteFrameInTheModelsChannels() {
        Path out = dir.resolve("pred.safetensors");
        CapturedRun r = CapturedRun.of("predict", "--checkpoint", CHECKPOINT.toString(), "--config",
                config(dir).toString(), "--data", PERIODIC_TRAIN.toString(), "--trajectory", "3", "--start", "2",
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        Tensor next = SafeTensors.read(out).get("pred_next_frame");
        assertArrayEquals(new long[] {1, 1, 5, 32, 32, 1}, next.shape());
        assertTrue(next.allFinite());
        float[] v = next.toFloatArray();
        for (int p = 4 * 1024; p < 5 * 1024; p++) assertEquals(0f, v[p], 0f, "velocity_z is padding");
        // Density of the smooth test flow stays near 1: a frame of the right field in the right place.
        double mean = 0;
        for (int p = 0; p < 1024; p++) mean += v[p] / 1024;
        assertEquals(1.0, mean, 0.1);
        Map<String, String> meta = SafeTensors.metadata(out);
        assertEquals("density,pressure,velocity_x,velocity_y,velocity_z", meta.get("variable_fields"));
        assertEquals("[2, 3, 4, 5, 6, 7]", meta.get("steps"), "frames 2..7 of trajectory 1 of the second file");
    }

    @Test
    void badInputIsOneLineThatSaysWhatIsWrong() throws Exception {
        Path[] in = caseFiles(dir, "b");
        String ckpt = CHECKPOINT.toString(), cfg = config(dir).toString(), out = dir.resolve("o.safetensors").toString();
        Path odd = dir.resolve("odd.safetensors");
        SafeTensors.write(odd, Map.of("raw_input", Tensor.zeros(2, 1, 1, 48, 32, 1)));
        Path oddCase = Files.writeString(dir.resolve("odd.json"), "{\"variable_fields\": [\"density\"],"
                + " \"field_indices\": [28], \"bcs\": [[2, 2], [2, 2], [2, 2]], \"T\": 2, \"B\": 1,"
                + " \"spatial_shape\": [48, 32]}");
        Path noRaw = dir.resolve("noraw.safetensors");
        SafeTensors.write(noRaw, Map.of("x", Tensor.zeros(1)));
        Map<List<String>, String> cases = Map.of(
                List.of("predict", "--checkpoint", ckpt, "--config", cfg, "--out", out),
                "give either --input IN.safetensors with --case CASE.json, or --data WELL with --trajectory and --start",
                List.of("predict", "--checkpoint", ckpt, "--config", cfg, "--input", in[0].toString(), "--out", out),
                "--input needs --case CASE.json to say what its channels are",
                List.of("predict", "--checkpoint", ckpt, "--config", cfg, "--input", noRaw.toString(), "--case",
                        in[1].toString(), "--out", out),
                noRaw + ": no tensor 'raw_input' (found [x])",
                List.of("predict", "--checkpoint", ckpt, "--config", TINY_CONFIG.toString(), "--data",
                        PERIODIC_TRAIN.toString(), "--trajectory", "0", "--start", "0", "--out", out),
                "field diffusivity of dataset 'periodic2d' is not in the model's vocabulary of 67 fields",
                List.of("predict", "--checkpoint", ckpt, "--config", cfg, "--data", PERIODIC_TRAIN.toString(),
                        "--trajectory", "0", "--start", "9", "--out", out),
                "a window of 6 frames at stride 1 from step 9 would end at step 14",
                List.of("predict", "--checkpoint", ckpt, "--config", cfg, "--input", in[0].toString(), "--case",
                        in[1].toString(), "--seed", "3", "--no-jitter", "--out", out),
                "--seed and --no-jitter exclude each other",
                List.of("predict", "--checkpoint", ckpt, "--config", cfg, "--input", odd.toString(), "--case",
                        oddCase.toString(), "--out", out),
                "grid axis of 48 points in shape [48, 32, 1] is not covered by the stride table for 2-D data;"
                        + " nearest supported sizes: [32, 128]",
                List.of("predict", "--checkpoint", dir.resolve("missing.pt").toString(), "--config", cfg, "--input",
                        in[0].toString(), "--case", in[1].toString(), "--out", out),
                "missing.pt: checkpoint file not found");
        cases.forEach((args, expected) -> {
            CapturedRun r = CapturedRun.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), r.toString());
            assertEquals(1, r.messages().size(), r.toString());
            assertTrue(r.messages().getFirst().startsWith("walrus: "), r.toString());
            assertTrue(r.messages().getFirst().contains(expected), "expected '" + expected + "' in\n" + r);
        });
        assertFalse(Files.exists(Path.of(out)), "no output after an error");
    }

    @Test
    void caseFieldNamesMustBeTheVocabularyEntriesOfTheirIndices() throws Exception {
        Path[] in = caseFiles(dir, "a");
        ObjectMapper json = new ObjectMapper();
        ObjectNode misspelt = (ObjectNode) json.readTree(in[1].toFile());
        ((ArrayNode) misspelt.get("variable_fields")).set(1, "presure");
        ObjectNode swapped = (ObjectNode) json.readTree(in[1].toFile());
        ((ArrayNode) swapped.get("variable_fields")).set(1, "velocity_x").set(2, "pressure");
        Path misspeltFile = dir.resolve("misspelt.json"), swappedFile = dir.resolve("swapped.json");
        json.writeValue(misspeltFile.toFile(), misspelt);
        json.writeValue(swappedFile.toFile(), swapped);
        Path out = dir.resolve("pred.safetensors");
        Map<Path, String> expected = Map.of(
                misspeltFile, misspeltFile + ": variable_fields[1] is 'presure' (not in the model's vocabulary) but"
                        + " field_indices[1] = 3 is 'pressure'",
                swappedFile, swappedFile + ": variable_fields[1] is 'velocity_x' (index 4 of the model's vocabulary)"
                        + " but field_indices[1] = 3 is 'pressure' (and 1 more)");
        expected.forEach((caseFile, message) -> {
            for (String command : List.of("predict", "trace")) {
                CapturedRun r = CapturedRun.of(command, "--checkpoint", CHECKPOINT.toString(), "--config",
                        TINY_CONFIG.toString(), "--input", in[0].toString(), "--case", caseFile.toString(),
                        "--out", out.toString());
                assertEquals(2, r.code(), r.toString());
                assertEquals(List.of("walrus: " + message), r.messages(), r.toString());
            }
        });
        assertFalse(Files.exists(out), "nothing is written for a case whose names and indices disagree");
    }
}
