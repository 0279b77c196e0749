package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.io.TorchCheckpoint;
import org.walrusjava.tensor.Tensor;
import org.walrusjava.train.AdvectionData;

class TrainCommandTest {
    static final Path FIXTURES = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny");
    static final String CONFIG = FIXTURES.resolve("extended_config.yaml").toString();

    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void writeData() {
        data = AdvectionData.write(dir.resolve("advection"), "tracer", 2, 1, 8);
    }

    @Test
    void quickRunStopsResumesAndExports() throws Exception {
        Path runDir = dir.resolve("run");
        CliRun first = CliRun.of("train", "--config", CONFIG, "--init", FIXTURES.resolve("walrus.pt").toString(),
                "--data", data.toString(), "--steps", "3", "--batch-size", "1", "--lr", "1e-4", "--seed", "5",
                "--out", runDir.toString(), "--stop-at", "2", "data.module_parameters.n_steps_input=3");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("stopped at step 2 of 3"), first.out());
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints/step-0000002")));
        assertFalse(Files.exists(runDir.resolve("final.safetensors")));

        // What a kill during the next step would leave: half a log line and a half-written checkpoint folder.
        Files.writeString(runDir.resolve("log.jsonl"), "{\"step\": 3, \"lo", java.nio.file.StandardOpenOption.APPEND);
        Path partial = Files.createDirectories(runDir.resolve("checkpoints/.step-0000003.partial"));
        Files.writeString(partial.resolve("model.safetensors"), "half");

        Path pt = dir.resolve("final.pt");
        CliRun second = CliRun.of("train", "--resume", runDir.toString(), "--steps", "3", "--export", pt.toString());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("train: step 3/3"), second.err());
        Map<String, Tensor> weights = SafeTensors.read(runDir.resolve("final.safetensors"));
        Map<String, Tensor> exported = TorchCheckpoint.read(pt);
        assertEquals(weights.keySet(), exported.keySet());
        float[] a = weights.get("encoder_dummy").toFloatArray(), b = exported.get("encoder_dummy").toFloatArray();
        assertArrayEquals(a, b);
        assertEquals(3, Files.readAllLines(runDir.resolve("log.jsonl")).stream().filter(l -> !l.contains("validation")).count());
        try (var left = Files.list(runDir.resolve("checkpoints"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no half-written folder");
        }
    }

    @Test
    void configFormTrainsOnTheConfigsDatasetsAndValidates() throws Exception {
        Path runDir = dir.resolve("config-run");
        CliRun r = CliRun.of("train", "--config", CONFIG, "--out", runDir.toString(),
                "+data.well_base_path=" + dir, "+data.module_parameters.well_dataset_info.advection.include_filters=[]",
                "data.module_parameters.n_steps_input=3", "+trainer.steps=2", "+trainer.validate_every=2",
                "+trainer.validation_steps=2", "+trainer.validation_trajectories=1", "+trainer.save_every=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation VRMSE"), r.out());
        assertTrue(Files.exists(runDir.resolve("final.safetensors")));
        assertTrue(Files.readString(runDir.resolve("checkpoints/best")).contains("step-0000002"));
        assertTrue(Files.readString(runDir.resolve("log.jsonl")).contains("\"persistence_score\""));
    }

    @Test
    void mistakesAreOneLineErrors() {
        CliRun noOut = CliRun.of("train", "--config", CONFIG, "--data", data.toString(), "--steps", "1");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("--out"), noOut.err());
        CliRun badPart = CliRun.of("train", "--config", CONFIG, "--data", data.toString(), "--steps", "1", "--freeze",
                "encodr", "--out", dir.resolve("bad").toString(), "data.module_parameters.n_steps_input=3");
        assertEquals(2, badPart.code());
        assertTrue(badPart.err().contains("'encodr' matches no parameter"), badPart.err());
        assertEquals(1, badPart.err().strip().lines().count(), badPart.err());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written for a run that could not start");
        CliRun resumeWithLr = CliRun.of("train", "--resume", dir.resolve("nothing").toString(), "--lr", "1");
        assertEquals(2, resumeWithLr.code());
        assertTrue(resumeWithLr.err().contains("only --steps"), resumeWithLr.err());
        CliRun notARun = CliRun.of("train", "--resume", dir.toString());
        assertEquals(2, notARun.code());
        assertTrue(notARun.err().contains("not a training run folder"), notARun.err());
    }
}
