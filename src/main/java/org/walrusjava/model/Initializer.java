package org.walrusjava.model;

import java.util.Map;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * Fresh weights for training from scratch, benchmarks and new vocabulary entries, following the reference's
 * initialisation: PyTorch's default kaiming-uniform bound 1/sqrt(fan_in) for convolutions and linear maps, norms
 * at 1, LayerNorm biases at 0, and near-zero residual output projections (the reference's layer-scale-like
 * init, kaiming-uniform with a = sqrt(5)/1e-6) so that every block starts as the identity.
 */
public final class Initializer {
    private static final double LAYER_SCALE = 1e-6;

    private Initializer() {}

    /** Initialises every slot of the model from libtorch's generator seeded with {@code seed}. */
    public static void initialize(WalrusModel model, long seed, DType dtype, Device device) {
        Tensor.manualSeed(seed);
        Map<String, Module.Slot> slots = model.slots();
        for (Map.Entry<String, Module.Slot> e : slots.entrySet())
            e.getValue().set(fresh(e.getKey(), slots).to(dtype).to(device));
    }

    /** A freshly initialised value for one slot (also used for vocabulary entries added by fine-tuning). */
    public static Tensor fresh(String key, Map<String, Module.Slot> slots) {
        long[] shape = slots.get(key).shape();
        if (key.equals("encoder_dummy")) return Tensor.ones(DType.FLOAT32, Device.CPU, shape);
        if (key.endsWith("rotary_emb.freqs")) return Tensor.linspace(1, 128, shape[0], Device.CPU).mul(Math.PI);
        if (key.contains("norm") && key.endsWith(".weight")) return Tensor.ones(DType.FLOAT32, Device.CPU, shape);
        if (key.contains("norm") && key.endsWith(".bias")) return Tensor.zeros(shape);
        if (key.endsWith("relative_attention_bias.weight"))
            return Tensor.randn(DType.FLOAT32, Device.CPU, shape).mul(0.02);
        boolean residualOut = key.contains("attn_out") || key.contains("ff_out") || key.contains("output_head");
        long[] weightShape = key.endsWith(".bias") ? slots.get(key.replace(".bias", ".weight")).shape() : shape;
        double bound = 1 / Math.sqrt(fanIn(weightShape));
        if (residualOut) bound *= LAYER_SCALE;
        return Tensor.rand(DType.FLOAT32, Device.CPU, shape).mul(2 * bound).add(-bound);
    }

    /** PyTorch's fan-in: dim 1 times the kernel volume (also for transposed convs, as PyTorch computes it). */
    private static long fanIn(long[] weightShape) {
        long receptive = 1;
        for (int i = 2; i < weightShape.length; i++) receptive *= weightShape[i];
        return weightShape[1] * receptive;
    }
}
