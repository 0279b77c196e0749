package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusConfig;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.FlopCount;
import org.walrusjava.tensor.Tensor;

/**
 * Activation checkpointing must give the gradients of the plain backward pass, drop-path (rate 0.5, so that a
 * different mask in the re-run would show) and jitter rolls included.
 */
class BackpropagationTest {
    /** Multiply-adds of the forward passes (first and re-run) of the last {@link #gradients} call. */
    private static long lastFlops;

    static Map<String, Tensor> gradients(ActivationCheckpointing checkpointing, double gradScale) throws Exception {
        return gradients(checkpointing, gradScale, null, new double[1]);
    }

    static Map<String, Tensor> gradients(ActivationCheckpointing checkpointing, double gradScale, DType autocast,
            double[] loss) throws Exception {
        WalrusConfig c = TestTensors.tinyConfig();
        WalrusConfig withDropPath = new WalrusConfig(c.hiddenDim(), c.intermediateDim(), 3, c.spaceHeads(),
                c.timeHeads(), c.nStates(), c.groups(), true, true, true, c.includeD(), c.baseKernel(), 0.5, 0.0, 0);
        WalrusModel model = new WalrusModel(withDropPath);
        Map<String, Tensor> weights = TestTensors.read(TestTensors.TINY_WEIGHTS);
        // a third block (a copy of block 1) so that segments of 2 leave a shorter last segment
        Map<String, Tensor> extended = new LinkedHashMap<>(weights);
        weights.forEach((k, v) -> {
            if (k.startsWith("blocks.1.")) extended.put("blocks.2." + k.substring(9), v);
        });
        model.load(extended, DType.FLOAT32, Device.CPU, "tiny");
        model.materialize();
        model.train(true);
        List<TrainableParameter> ps = ModelParts.select(model, "", Map.of());
        Map<String, Tensor> data = TestTensors.fixture("case_d_train.safetensors");
        Batch batch = new Batch(data.get("raw_input"), data.get("target_next_frame"), LossTest.LABELS,
                LossTest.PERIODIC, LossTest.REAL, "case_d");
        Tensor.manualSeed(11);
        try (FlopCount counted = FlopCount.start()) {
            loss[0] = Backpropagation.run(model, batch, Rolls.seeded(5), 1, gradScale, checkpointing, autocast)
                    .lossX100().itemDouble();
            lastFlops = counted.flops();
        }
        assertEquals(DType.FLOAT32, model.dtype(), "autocast leaves the weights in float32");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TrainableParameter p : ps) if (p.value().grad() != null) out.put(p.name(), p.value().grad());
        return out;
    }

    /**
     * Full and selective recomputation, in segments of 1 and 2 blocks. The selective re-run must take the kept
     * projections instead of multiplying again: its passes count fewer multiply-adds than the full re-run's, by
     * exactly the blocks' projections (the plain pass's count minus the full re-run's is one more pass through
     * the blocks, of which the selective one redoes only the attention).
     */
    @Test
    void checkpointedGradientsEqualPlainOnes() throws Exception {
        // plain at scale 1, checkpointed at 1/4: also checks that the scale divides the gradient
        Map<String, Tensor> plain = new LinkedHashMap<>();
        gradients(ActivationCheckpointing.OFF, 1.0).forEach((k, g) -> plain.put(k, g.mul(0.25)));
        long plainFlops = lastFlops, fullFlops = 0;
        for (String spec : new String[] {"1", "2", "1:selective", "2:selective"}) {
            ActivationCheckpointing every = ActivationCheckpointing.parse(spec);
            Map<String, Tensor> checkpointed = gradients(every, 0.25);
            System.out.printf("checkpointing %s: %d multiply-adds in forward passes, %d without%n", spec, lastFlops,
                    plainFlops);
            if (every.selective()) assertTrue(lastFlops < fullFlops, spec);
            else fullFlops = lastFlops;
            assertEquals(plain.keySet(), checkpointed.keySet());
            double worst = 0;
            for (String k : plain.keySet()) {
                double scale = Math.max(TestTensors.maxAbs(plain.get(k)), 1e-12);
                double diff = TestTensors.maxAbsDiff(plain.get(k), checkpointed.get(k));
                // Corrections 7: this gradient is zero up to float noise, so only its absolute size is checked.
                if (k.endsWith("time_mixing.knorm.bias")) assertTrue(diff < 1e-6, k + " " + diff);
                else worst = Math.max(worst, diff / scale);
            }
            System.out.printf("checkpointing %s: worst relative gradient difference %.2e%n", spec, worst);
            assertTrue(worst < 1e-5, spec + ": " + worst);
        }
    }

    /**
     * bf16 autocast: the loss stays within 2% of float32. Gradients agree in direction over the whole model
     * (cosine of all gradients joined) but not to float32 precision: the L1 loss's gradient is the sign of each
     * residual, and bf16 rounding flips the sign of the small residuals.
     */
    @Test
    void bf16AutocastStaysCloseToFloat32() throws Exception {
        double[] fp32Loss = new double[1], bf16Loss = new double[1];
        Map<String, Tensor> fp32 = gradients(ActivationCheckpointing.OFF, 1.0, null, fp32Loss);
        Map<String, Tensor> bf16 = gradients(new ActivationCheckpointing(1, false), 1.0, DType.BFLOAT16, bf16Loss);
        double dot = 0, na = 0, nb = 0;
        for (String k : fp32.keySet()) {
            double[] a = fp32.get(k).toDoubleArray(), b = bf16.get(k).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
        }
        double cosine = dot / Math.sqrt(na * nb);
        System.out.printf("bf16 autocast: loss %.4f vs fp32 %.4f, gradient cosine %.4f%n", bf16Loss[0], fp32Loss[0], cosine);
        assertEquals(fp32Loss[0], bf16Loss[0], 0.02 * fp32Loss[0]);
        assertTrue(cosine > 0.9, "gradient cosine " + cosine);
    }
}
