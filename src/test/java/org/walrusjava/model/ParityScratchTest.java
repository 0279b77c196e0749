package org.walrusjava.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

class ParityScratchTest {
    static final Path FIX = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny");

    static WalrusConfig tiny() {
        return new WalrusConfig(64, 16, 2, 4, 4, 67, 16, true, true, true, List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.0, 0.0, 0);
    }

    static double maxDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        if (x.length != y.length) return Double.NaN;
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    void run(String file, long[] labels, int[][] bcs, int nVar, boolean[] real, Rolls rolls) throws Exception {
        WalrusModel model = new WalrusModel(tiny());
        model.load(TmpSt.read(Path.of("/tmp/wk/tiny.safetensors")), DType.FLOAT32, Device.CPU, "tiny");
        Map<String, Tensor> ref = TmpSt.read(FIX.resolve(file));
        ForwardTrace trace = new ForwardTrace();
        Predictor.Step s = new Predictor(model).step(ref.get("raw_input"), labels, bcs, nVar, real, rolls, trace);
        System.out.println(file + " sample_rms " + maxDiff(s.stats().sampleRms(), ref.get("sample_rms")));
        System.out.println(file + " delta_rms " + maxDiff(s.stats().deltaRms(), ref.get("delta_rms")));
        System.out.println(file + " normalized " + maxDiff(s.normalizedInput(), ref.get("normalized_input")));
        for (var e : trace.tensors().entrySet())
            System.out.println(file + " " + e.getKey() + " " + java.util.Arrays.toString(e.getValue().shape()) + " " + maxDiff(e.getValue(), ref.get(e.getKey())));
        System.out.println(file + " model_output " + maxDiff(s.modelOutput(), ref.get("model_output")));
        System.out.println(file + " pred " + maxDiff(s.nextFrame(), ref.get("pred_next_frame")));
    }

    @Test
    void caseE() throws Exception {
        WalrusModel model = new WalrusModel(tiny());
        model.load(TmpSt.read(Path.of("/tmp/wk/tiny.safetensors")), DType.FLOAT32, Device.CPU, "tiny");
        Map<String, Tensor> ref = TmpSt.read(FIX.resolve("case_e_rollout.safetensors"));
        var w = new org.walrusjava.rollout.Rollout.Window(ref.get("initial_raw_input"), new long[] {28, 3, 4, 5, 6, 8}, new int[][] {{2, 2}, {2, 2}, {2, 2}}, 5,
                new boolean[] {true, true, true, true, false}, null);
        var r = org.walrusjava.rollout.Rollout.run(new Predictor(model), w, 4, Rolls.zero(), null);
        System.out.println("rollout " + maxDiff(r.frames(), ref.get("rollout_pred")));
    }

    @Test
    void caseA() throws Exception {
        run("case_a.safetensors", new long[] {28, 3, 4, 5, 6, 8}, new int[][] {{2, 2}, {2, 2}, {2, 2}}, 5,
                new boolean[] {true, true, true, true, false}, Rolls.zero());
        run("case_b.safetensors", new long[] {28, 3, 4, 5, 6, 8}, new int[][] {{0, 0}, {1, 1}, {2, 2}}, 5,
                new boolean[] {true, true, true, true, false}, Rolls.zero());
        run("case_v1.safetensors", new long[] {28, 3, 4, 5, 6, 8}, new int[][] {{0, 1}, {2, 2}, {2, 2}}, 5,
                new boolean[] {true, true, true, true, false}, Rolls.seeded(31337));
        run("case_v2.safetensors", new long[] {28, 4, 5, 6, 19, 20, 21, 22, 23, 24, 25, 26, 27, 8}, new int[][] {{0, 0}, {2, 2}, {1, 1}}, 13,
                new boolean[] {true, true, true, true, true, true, true, true, true, true, true, true, true}, Rolls.seeded(4711));
    }
}
