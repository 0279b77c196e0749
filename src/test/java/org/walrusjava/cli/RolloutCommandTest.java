package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.api.RolloutFixtures.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.api.Walrus;
import org.walrusjava.api.WellWindow;
import org.walrusjava.api.WellWindows;
import org.walrusjava.data.FieldInfo;
import org.walrusjava.data.WellFile;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.rollout.Frames;
import org.walrusjava.rollout.Metric;
import org.walrusjava.rollout.Rollout;

class RolloutCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CapturedRun rollout(Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("rollout", "--checkpoint", CHECKPOINT.toString(), "--config",
                config.toString()));
        args.addAll(List.of(more));
        return CapturedRun.of(args.toArray(String[]::new));
    }

    private static float[] channel(WellFile f, String field, int trajectory, int step, int component) {
        FieldInfo info = f.field(field);
        float[] frame = f.readFrames(info, trajectory, step, 1, 1);
        float[] out = new float[frame.length / info.nChannels()];
        for (int p = 0; p < out.length; p++) out[p] = frame[p * info.nChannels() + component];
        return out;
    }

    private static float[] log10(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) Math.log10(v[i]);
        return out;
    }

    @Test
    void aRolloutOfWellDataWritesAWellFileInPhysicalUnitsWithMetricsAndPictures() throws Exception {
        Path config = log10Config(dir);
        Path out = dir.resolve("run");
        // Validation file, trajectory 1: window of frames 3..8, predictions of frames 9 and 10.
        CapturedRun r = rollout(config, "--data", PERIODIC.toString(), "--split", "valid", "--trajectory", "1",
                "--start", "3", "--steps", "2", "--no-jitter", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("rolled out 2 of 2 steps\nVRMSE (full; persistence): steps 1 "), r.out());
        assertTrue(r.err().contains("rollout: 2/2 steps (100%)"), "a progress line: " + r.err());

        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        List<String> columns = List.of("log10_density", "pressure", "velocity_x", "velocity_y", "full");
        assertEquals(columns.subList(0, 4), JSON.convertValue(m.get("fields"), List.class));
        assertEquals(2, m.get("steps").asInt());
        for (JsonNode table : List.of(m, m.get("persistence"))) {
            for (Metric metric : Metric.values()) {
                JsonNode perStep = table.get("per_step").get(metric.key());
                for (String c : columns) assertEquals(2, perStep.get(c).size(), metric.key() + " " + c);
            }
            assertEquals(List.of("1", "2"), iterate(table.get("windows").fieldNames()));
            assertEquals(Metric.values().length, table.get("windows").get("2").size());
        }

        Walrus walrus = Walrus.load(CHECKPOINT, config);
        WellWindow w = WellWindows.read(walrus.config(), new WellWindows.Request(PERIODIC, "valid", 1, 3,
                OptionalInt.empty(), 1, Optional.empty()), WellWindows.Truth.exactly(2));
        float[][][] frames = Frames.perStep(Rollout.run(walrus.predictor(), w.rolloutWindow(), 2, Rolls.zero(), null)
                .frames(), 0);
        try (WellFile src = WellFile.open(PERIODIC_VALID_FILE);
             WellFile pred = WellFile.open(out.resolve("prediction.hdf5"))) {
            assertEquals(src.datasetName(), pred.datasetName());
            assertEquals(src.variableChannels(), pred.variableChannels());
            assertEquals(src.constantChannels(), pred.constantChannels());
            assertArrayEquals(src.spatialResolution(), pred.spatialResolution());
            assertArrayEquals(src.boundaryConditions(), pred.boundaryConditions());
            assertArrayEquals(src.coordinates("x"), pred.coordinates("x"));
            assertEquals(1, pred.nTrajectories());
            assertEquals(2, pred.nSteps());
            assertArrayEquals(Arrays.copyOfRange(src.time(1), 9, 11), pred.time(0));
            assertArrayEquals(src.readConstant(src.field("diffusivity"), 1), pred.readConstant(pred.field("diffusivity"), 0));
            for (int t = 0; t < 2; t++) {
                float[] density = channel(pred, "density", 0, t, 0);
                for (int p = 0; p < density.length; p++) {
                    assertEquals(Math.pow(10, frames[t][0][p]), density[p], 1e-6 * density[p], "10^log10_density");
                }
                assertArrayEquals(frames[t][1], channel(pred, "pressure", 0, t, 0));
                assertArrayEquals(frames[t][3], channel(pred, "velocity", 0, t, 1));

                // The metrics are those of the written frames (pressure is not transformed) ...
                float[] truePressure = channel(src, "pressure", 1, 9 + t, 0);
                assertEquals(vrmse(channel(pred, "pressure", 0, t, 0), truePressure),
                        m.get("per_step").get("VRMSE").get("pressure").get(t).asDouble(), 1e-9);
                // ... and persistence copies frame 8, in model space (log10 of density).
                assertEquals(vrmse(log10(channel(src, "density", 1, 8, 0)), log10(channel(src, "density", 1, 9 + t, 0))),
                        m.get("persistence").get("per_step").get("VRMSE").get("log10_density").get(t).asDouble(), 1e-6);
            }
        }
        String html = Files.readString(out.resolve("index.html"));
        Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        List<String> referenced = new ArrayList<>();
        while (links.find()) referenced.add(links.group(1));
        assertTrue(referenced.containsAll(List.of("prediction.hdf5", "metrics.json", "rollout.gif", "vrmse.png")), html);
        for (String ref : referenced) assertTrue(Files.isRegularFile(out.resolve(ref)), "index.html links " + ref);
        assertEquals(JSON.readTree("null"), JSON.readTree(out.resolve("run.json").toFile()).get("stopped"));
    }

    @Test
    void anEnsembleOfJitterSeedsSpreadsAndWritesEveryMember() throws Exception {
        Path out = dir.resolve("ensemble");
        CapturedRun r = rollout(config(dir), "--data", PERIODIC_VALID_FILE.toString(), "--trajectory", "0",
                "--steps", "2", "--ensemble", "2", "--seed", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("with an ensemble of 2"), r.out());
        JsonNode e = JSON.readTree(out.resolve("metrics.json").toFile()).get("ensemble");
        assertEquals(2, e.get("members").asInt());
        for (int t = 0; t < 2; t++) {
            double spread = e.get("spread").get("full").get(t).asDouble();
            assertTrue(spread > 1e-6, "seeds 3 and 4 jitter differently, spread " + spread + " at step " + t);
            assertTrue(e.get("member_vrmse_min").get("full").get(t).asDouble()
                    < e.get("member_vrmse_max").get("full").get(t).asDouble());
        }
        try (WellFile pred = WellFile.open(out.resolve("prediction.hdf5"))) {
            assertEquals(2, pred.nTrajectories(), "one trajectory per member");
            assertFalse(Arrays.equals(channel(pred, "pressure", 0, 1, 0), channel(pred, "pressure", 1, 1, 0)));
        }
    }

    @Test
    void aRolloutPastTheDivergenceLimitStopsThereAndKeepsWhatCameBefore() throws Exception {
        Path out = dir.resolve("stopped");
        // VRMSE of this smooth flow grows by about 0.06 a step (as persistence's does): step 2 passes 0.09.
        CapturedRun r = rollout(config(dir), "--data", PERIODIC_VALID_FILE.toString(), "--trajectory", "0",
                "--steps", "4", "--no-jitter", "--divergence-vrmse", "0.09", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.messages().getFirst().matches("walrus: rollout stopped at step 2: VRMSE averaged over fields is"
                + " 0\\.\\d+, above the divergence limit 0\\.0900; kept 2 of 4 steps"), r.toString());
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, m.get("steps").asInt());
        double second = m.get("per_step").get("VRMSE").get("full").get(1).asDouble();
        assertTrue(m.get("per_step").get("VRMSE").get("full").get(0).asDouble() <= 0.09 && second > 0.09);
        JsonNode stopped = JSON.readTree(out.resolve("run.json").toFile()).get("stopped");
        assertEquals(2, stopped.get("step").asInt());
        try (WellFile pred = WellFile.open(out.resolve("prediction.hdf5"))) {
            assertEquals(2, pred.nSteps());
        }
        assertTrue(Files.readString(out.resolve("index.html")).contains("stopped at step 2"));
    }

    @Test
    void caseERollsOutThroughTheTensorInputPath() throws Exception {
        Path[] in = PredictCommandTest.caseFiles(dir, "a");
        Path out = dir.resolve("tensor");
        CapturedRun r = rollout(TINY_CONFIG, "--input", in[0].toString(), "--case", in[1].toString(), "--steps", "4",
                "--no-jitter", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        TinyFixtures.assertClose("rollout_pred", TinyFixtures.tensors("case_e_rollout.safetensors").get("rollout_pred"),
                SafeTensors.read(out.resolve("rollout.safetensors")).get("rollout_pred"), 2e-5, 2e-5);
    }

    @Test
    void badRequestsFailBeforeWritingAnything() throws Exception {
        Path out = dir.resolve("never");
        String cfg = config(dir).toString();
        CapturedRun tooLong = rollout(Path.of(cfg), "--data", PERIODIC_VALID_FILE.toString(), "--trajectory", "0",
                "--steps", "7", "--out", out.toString());
        assertEquals(2, tooLong.code());
        assertEquals(List.of("walrus: " + PERIODIC_VALID_FILE + ": trajectory 0 has 12 steps (0..11): only 6 frames"
                + " follow the window (steps 0..5 at stride 1), so it cannot be rolled out 7 steps"), tooLong.messages());
        CapturedRun unknown = rollout(TINY_CONFIG, "--data", PERIODIC_VALID_FILE.toString(), "--trajectory", "0",
                "--out", out.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.messages().getFirst().contains("field diffusivity of dataset 'periodic2d' is not in the"
                + " model's vocabulary"), unknown.toString());
        Path[] in = PredictCommandTest.caseFiles(dir, "a");
        CapturedRun noSteps = rollout(TINY_CONFIG, "--input", in[0].toString(), "--case", in[1].toString(), "--out",
                out.toString());
        assertEquals(List.of("walrus: --steps is required with --input (there is no trajectory to run to its end)"),
                noSteps.messages());
        CapturedRun ensemble = rollout(Path.of(cfg), "--data", PERIODIC_VALID_FILE.toString(), "--trajectory", "0",
                "--ensemble", "0", "--out", out.toString());
        assertEquals(List.of("walrus: --ensemble must be at least 1, got 0"), ensemble.messages());
        assertFalse(Files.exists(out));
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
