package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    /** [exit code, stdout, stderr] */
    static Object[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void quickRunStopsResumesAndExports() throws Exception {
        Path runDir = dir.resolve("run");
        Object[] first = run("train", "--config", CONFIG, "--init", FIXTURES.resolve("walrus.pt").toString(),
                "--data", data.toString(), "--steps", "3", "--batch-size", "1", "--lr", "1e-4", "--seed", "5",
                "--out", runDir.toString(), "--stop-at", "2", "data.module_parameters.n_steps_input=3");
        assertEquals(0, first[0], first[2].toString());
        assertTrue(first[1].toString().contains("stopped at step 2 of 3"), first[1].toString());
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints/step-0000002")));
        assertFalse(Files.exists(runDir.resolve("final.safetensors")));

        Path pt = dir.resolve("final.pt");
        Object[] second = run("train", "--resume", runDir.toString(), "--steps", "3", "--export", pt.toString());
        assertEquals(0, second[0], second[2].toString());
        assertTrue(second[2].toString().contains("train: step 3/3"), second[2].toString());
        Map<String, Tensor> weights = SafeTensors.read(runDir.resolve("final.safetensors"));
        Map<String, Tensor> exported = TorchCheckpoint.read(pt);
        assertEquals(weights.keySet(), exported.keySet());
        float[] a = weights.get("encoder_dummy").toFloatArray(), b = exported.get("encoder_dummy").toFloatArray();
        assertArrayEquals(a, b);
        assertEquals(3, Files.readAllLines(runDir.resolve("log.jsonl")).stream().filter(l -> !l.contains("validation")).count());
    }

    @Test
    void configFormTrainsOnTheConfigsDatasetsAndValidates() throws Exception {
        Path runDir = dir.resolve("config-run");
        Object[] r = run("train", "--config", CONFIG, "--out", runDir.toString(),
                "+data.well_base_path=" + dir, "+data.module_parameters.well_dataset_info.advection.include_filters=[]",
                "data.module_parameters.n_steps_input=3", "+trainer.steps=2", "+trainer.validate_every=2",
                "+trainer.validation_steps=2", "+trainer.validation_trajectories=1", "+trainer.save_every=1");
        assertEquals(0, r[0], r[2].toString());
        assertTrue(r[1].toString().contains("validation VRMSE"), r[1].toString());
        assertTrue(Files.exists(runDir.resolve("final.safetensors")));
        assertTrue(Files.readString(runDir.resolve("checkpoints/best")).contains("step-0000002"));
        assertTrue(Files.readString(runDir.resolve("log.jsonl")).contains("\"persistence_score\""));
    }

    @Test
    void mistakesAreOneLineErrors() {
        Object[] noOut = run("train", "--config", CONFIG, "--data", data.toString(), "--steps", "1");
        assertEquals(2, noOut[0]);
        assertTrue(noOut[2].toString().contains("--out"), noOut[2].toString());
        Object[] badPart = run("train", "--config", CONFIG, "--data", data.toString(), "--steps", "1", "--freeze",
                "encodr", "--out", dir.resolve("bad").toString(), "data.module_parameters.n_steps_input=3");
        assertEquals(2, badPart[0]);
        assertTrue(badPart[2].toString().contains("'encodr' matches no parameter"), badPart[2].toString());
        assertEquals(1, badPart[2].toString().strip().lines().count(), badPart[2].toString());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written for a run that could not start");
        Object[] resumeWithLr = run("train", "--resume", dir.resolve("nothing").toString(), "--lr", "1");
        assertEquals(2, resumeWithLr[0]);
        assertTrue(resumeWithLr[2].toString().contains("only --steps"), resumeWithLr[2].toString());
        Object[] notARun = run("train", "--resume", dir.toString());
        assertEquals(2, notARun[0]);
        assertTrue(notARun[2].toString().contains("not a training run folder"), notARun[2].toString());
    }
}
