package org.walrusjava.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * Fresh weights for training from scratch or for new vocabulary columns, following the reference's defaults:
 * PyTorch's default uniform init for convolutions and linear maps (bound 1/sqrt(fan_in) for weights and biases,
 * with fan_in taken from dim 1 also for transposed convolutions, as PyTorch does), the residual output maps
 * (attn_out, ff_out, time output_head) near zero so that every block starts as the identity (spec §1.4, "layer
 * scale-like tiny weights"), norms at 1 with zero bias, the relative-position table N(0, 1), encoder_dummy 1
 * and the standard RoPE pixel frequencies. Draws come from libtorch's generator, seeded here.
 */
public final class Initialization {
    /** Scale of the near-zero residual outputs: kaiming-uniform with a = sqrt(5) / 1e-6, i.e. bound ~1e-6/sqrt(fan_in). */
    private static final double RESIDUAL_OUTPUT_SCALE = 1e-6;

    private Initialization() {}

    /** Fresh tensors for every slot of {@code model}, by key (the model itself is not changed). */
    public static Map<String, Tensor> fresh(Module model, long seed) {
        Tensor.manualSeed(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Module.Slot> slots = model.slots();
        for (var e : slots.entrySet()) out.put(e.getKey(), init(e.getKey(), e.getValue().shape(), slots));
        return out;
    }

    private static Tensor init(String key, long[] shape, Map<String, Module.Slot> slots) {
        if (key.equals("encoder_dummy")) return ones(shape);
        if (key.endsWith("rotary_emb.freqs"))
            return Tensor.linspace(1, 128, shape[0], Device.CPU).mul(Math.PI);
        if (key.endsWith("relative_attention_bias.weight")) return Tensor.randn(DType.FLOAT32, Device.CPU, shape);
        if (key.endsWith(".weight") && shape.length == 1) return ones(shape); // RMS and layer norms
        if (key.endsWith(".bias")) {
            String owner = key.substring(0, key.length() - ".bias".length());
            Module.Slot weight = slots.get(owner + ".weight");
            if (weight == null || weight.shape().length == 1) return Tensor.zeros(shape); // layer-norm bias
            return uniform(shape, 1 / Math.sqrt(fanIn(weight.shape())));
        }
        double bound = 1 / Math.sqrt(fanIn(shape));
        if (key.contains("attn_out") || key.contains("ff_out") || key.contains("output_head")) bound *= RESIDUAL_OUTPUT_SCALE;
        return uniform(shape, bound);
    }

    /** PyTorch's fan_in: dim 1 times the kernel volume. */
    static long fanIn(long[] shape) {
        long f = shape[1];
        for (int i = 2; i < shape.length; i++) f *= shape[i];
        return f;
    }

    private static Tensor uniform(long[] shape, double bound) {
        return Tensor.rand(DType.FLOAT32, Device.CPU, shape).mul(2 * bound).add(-bound);
    }

    private static Tensor ones(long[] shape) {
        return Tensor.ones(DType.FLOAT32, Device.CPU, shape);
    }
}
