package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.ConvolutionCheck;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * Fixture case d with every convolution forced onto walrus-java's own kernel: the encoder and decoder weight
 * gradients come from its backward pass (a scatter-add and GEMMs), which must match the reference trainer's.
 */
class FallbackConvolutionGradientTest {
    @Test
    void encoderAndDecoderGradientsMatchTheReferenceOnTheFallbackKernel() throws Exception {
        Map<String, Tensor> caseD = TestTensors.fixture("case_d_train.safetensors");
        Map<String, Tensor> grads = TestTensors.fixture("case_d_grads.safetensors");
        ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.FALLBACK);
        try (NativeScope s = NativeScope.open()) {
            WalrusModel model = TestTensors.tinyModel();
            for (Module.Slot slot : model.slots().values()) if (slot.trainable()) slot.get().requiresGrad(true);
            model.train(true);
            Batch batch = new Batch(caseD.get("raw_input"), caseD.get("target_next_frame"), LossTest.LABELS,
                    LossTest.PERIODIC, LossTest.REAL, "case_d");
            Loss.Result result = Loss.of(model, batch, Rolls.zero(), Loss.MINIMUM_CONTEXT);
            result.lossX100().sum().backward();
            assertEquals(67.75051879882812, result.lossX100().itemDouble(), 1e-5 * 67.75);
            int compared = 0;
            for (String key : new String[] {"embed.2.proj1.weight", "embed.2.proj2.weight", "debed.2.proj1.weight",
                    "debed.2.proj2.weight", "debed.2.proj2.bias"}) {
                Tensor ref = grads.get(key), ours = model.slots().get(key).get().grad();
                assertNotNull(ours, key);
                double rel = TestTensors.maxAbsDiff(ref, ours) / TestTensors.maxAbs(ref);
                assertTrue(rel <= 2e-5, key + ": " + rel);
                compared++;
            }
            assertEquals(5, compared);
            ConvolutionCheck.choices().values().forEach(choice ->
                    assertEquals(ConvolutionCheck.Kernel.UNFOLD, choice.kernel()));
        } finally {
            ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.VERIFY);
        }
    }
}
