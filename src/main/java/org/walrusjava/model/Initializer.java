package org.walrusjava.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Fresh weights for training from scratch, benchmarks and new vocabulary entries, following the reference's
 * initialisation: PyTorch's default kaiming-uniform bound 1/sqrt(fan_in) for convolutions, linear maps and their
 * biases, norms at 1, LayerNorm biases at 0, N(0, 1) for the relative-bias embedding (nn.Embedding's default), and
 * near-zero residual output projections (the reference's layer-scale-like kaiming-uniform with
 * a = sqrt(5)/1e-6, bound about 1e-6/sqrt(fan_in), biases likewise) so that every block starts as the identity.
 */
public final class Initializer {
    private static final double RESIDUAL_OUTPUT_SCALE = 1e-6;

    private Initializer() {}

    /** Initialises every slot of the model from libtorch's generator seeded with {@code seed}. */
    public static void initialize(Module model, long seed, DType dtype, Device device) {
        Map<String, Module.Slot> slots = model.slots();
        fresh(model, seed).forEach((k, t) -> {
            try (NativeScope scope = NativeScope.open()) {
                slots.get(k).set(t.to(dtype).to(device));
            }
            t.close(); // the slot holds a handle of its own; this frees the float32 original unless the slot shares it
        });
    }

    /** Fresh float32 CPU tensors for every slot, by key (the model itself is not changed). */
    public static Map<String, Tensor> fresh(Module model, long seed) {
        Tensor.manualSeed(seed);
        Map<String, Module.Slot> slots = model.slots();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String key : slots.keySet()) {
            // Free each tensor's temporaries (rand, scale, shift) at once: for the 1.3B model they are 3x its size.
            try (NativeScope scope = NativeScope.open()) {
                out.put(key, scope.keep(fresh(key, slots)));
            }
        }
        return out;
    }

    private static Tensor fresh(String key, Map<String, Module.Slot> slots) {
        long[] shape = slots.get(key).shape();
        if (key.equals("encoder_dummy")) return Tensor.ones(DType.FLOAT32, Device.CPU, shape);
        if (key.endsWith("rotary_emb.freqs")) return Tensor.linspace(1, 128, shape[0], Device.CPU).mul(Math.PI);
        if (key.endsWith("relative_attention_bias.weight")) return Tensor.randn(DType.FLOAT32, Device.CPU, shape);
        Module.Slot weight = key.endsWith(".bias") ? slots.get(key.substring(0, key.length() - 5) + ".weight") : null;
        boolean norm = shape.length == 1 && (weight == null || weight.shape().length == 1);
        if (norm) return key.endsWith(".bias") ? Tensor.zeros(shape) : Tensor.ones(DType.FLOAT32, Device.CPU, shape);
        double bound = 1 / Math.sqrt(fanIn(weight == null ? shape : weight.shape()));
        if (key.contains("attn_out") || key.contains("ff_out") || key.contains("output_head")) bound *= RESIDUAL_OUTPUT_SCALE;
        return Tensor.rand(DType.FLOAT32, Device.CPU, shape).mul(2 * bound).add(-bound);
    }

    /** PyTorch's fan-in: dim 1 times the kernel volume (also for transposed convs, as PyTorch computes it). */
    private static long fanIn(long[] weightShape) {
        long receptive = 1;
        for (int i = 2; i < weightShape.length; i++) receptive *= weightShape[i];
        return weightShape[1] * receptive;
    }
}
