package org.walrusjava.model;

import static org.junit.jupiter.api.Assertions.*;
import static org.walrusjava.model.TinyFixtures.assertClose;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.walrusjava.api.CaseSpec;
import org.walrusjava.rollout.Rollout;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.ConvolutionCheck;
import org.walrusjava.tensor.Tensor;

/** Every intermediate of fixture cases a, b, v1, v2 and the 4-step rollout of case e, against the reference. */
class ModelParityTest {
    static WalrusModel model;

    @BeforeAll
    static void load() {
        model = TinyFixtures.model();
    }

    private static Predictor.Step run(CaseSpec c, Tensor raw, Rolls rolls, ForwardTrace trace) {
        try (Autograd off = Autograd.off()) {
            return new Predictor(model).step(raw, c.fieldIndices(), c.bcs(), c.variableChannels(),
                    c.paddedFieldMask(), rolls, trace);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b", "v1", "v2"})
    void everyIntermediateMatchesTheReference(String name) {
        CaseSpec c = TinyFixtures.caseSpec(name);
        Map<String, Tensor> ref = TinyFixtures.tensors("case_" + name + ".safetensors");
        ForwardTrace trace = new ForwardTrace();
        Predictor.Step s = run(c, ref.get("raw_input"), c.recordedRolls(), trace);
        assertClose("sample_rms", ref.get("sample_rms"), s.stats().sampleRms(), 0, 1e-6);
        assertClose("delta_rms", ref.get("delta_rms"), s.stats().deltaRms(), 0, 1e-6);
        assertClose("normalized_input", ref.get("normalized_input"), s.normalizedInput(), 1e-6, 1e-6);
        assertClose("encoder_input_padded", ref.get("encoder_input_padded"),
                trace.tensors().get("encoder_input_padded"), 1e-6, 1e-6);
        for (String k : new String[] {"encoder_output", "block0_output"})
            assertClose(k, ref.get(k), trace.tensors().get(k), 2e-5, 2e-5);
        assertClose("model_output", ref.get("model_output"), s.modelOutput(), 2e-5, 2e-5);
        assertClose("pred_next_frame", ref.get("pred_next_frame"), s.nextFrame(), 2e-5, 2e-5);
        try (Autograd off = Autograd.off()) {
            Tensor next = new Predictor(model).next(ref.get("raw_input"), c.fieldIndices(), c.bcs(),
                    c.variableChannels(), c.paddedFieldMask(), c.recordedRolls());
            assertClose("pred_next_frame, last position only", ref.get("pred_next_frame"), next, 2e-5, 2e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void zeroRollsMatchTheReferenceZeroRollRun(String name) {
        CaseSpec c = TinyFixtures.caseSpec(name);
        Map<String, Tensor> ref = TinyFixtures.tensors("case_" + name + ".safetensors");
        Predictor.Step s = run(c, ref.get("raw_input"), Rolls.zero(), null);
        assertClose("model_output_zero_rolls", ref.get("model_output_zero_rolls"), s.modelOutput(), 2e-5, 2e-5);
        assertClose("pred_next_frame_zero_rolls", ref.get("pred_next_frame_zero_rolls"), s.nextFrame(), 2e-5, 2e-5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void seededRollsReproduceTheReferenceDraws(String name) {
        CaseSpec c = TinyFixtures.caseSpec(name);
        int seed = TinyFixtures.cases().get("cases").get(name).get("seed").asInt();
        Map<String, Tensor> ref = TinyFixtures.tensors("case_" + name + ".safetensors");
        Rolls.Recorder recorder = new Rolls.Recorder(Rolls.seeded(seed));
        Predictor.Step s = run(c, ref.get("raw_input"), recorder, null);
        assertEquals(c.patchRolls(), recorder.patchRolls);
        assertEquals(c.blockRolls(), recorder.blockRolls);
        assertClose("model_output", ref.get("model_output"), s.modelOutput(), 2e-5, 2e-5);
    }

    @Test
    void seededRunsRepeatBitForBit() {
        CaseSpec c = TinyFixtures.caseSpec("v1");
        Tensor raw = TinyFixtures.tensors("case_v1.safetensors").get("raw_input");
        float[] first = run(c, raw, Rolls.seeded(7), null).modelOutput().toFloatArray();
        float[] second = run(c, raw, Rolls.seeded(7), null).modelOutput().toFloatArray();
        float[] other = run(c, raw, Rolls.seeded(8), null).modelOutput().toFloatArray();
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, other), "a different seed must give different rolls");
    }

    /** The reference cases again with every convolution forced onto walrus-java's own kernel, on any machine. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "v2"})
    void theFallbackConvolutionReproducesTheReference(String name) {
        CaseSpec c = TinyFixtures.caseSpec(name);
        Map<String, Tensor> ref = TinyFixtures.tensors("case_" + name + ".safetensors");
        ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.FALLBACK);
        try {
            ForwardTrace trace = new ForwardTrace();
            Predictor.Step s = run(c, ref.get("raw_input"), c.recordedRolls(), trace);
            assertClose("encoder_output", ref.get("encoder_output"), trace.tensors().get("encoder_output"), 2e-5, 2e-5);
            assertClose("model_output", ref.get("model_output"), s.modelOutput(), 2e-5, 2e-5);
            assertClose("pred_next_frame", ref.get("pred_next_frame"), s.nextFrame(), 2e-5, 2e-5);
            assertFalse(ConvolutionCheck.choices().isEmpty());
            ConvolutionCheck.choices().values().forEach(choice ->
                    assertEquals(ConvolutionCheck.Kernel.UNFOLD, choice.kernel()));
        } finally {
            ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.VERIFY);
        }
    }

    @Test
    void bf16WeightsStayCloseToTheReference() {
        WalrusModel bf16 = new WalrusModel(TinyFixtures.config());
        bf16.load(model.stateDict(), org.walrusjava.tensor.DType.BFLOAT16, org.walrusjava.tensor.Device.CPU, "walrus.pt");
        CaseSpec c = TinyFixtures.caseSpec("a");
        Map<String, Tensor> ref = TinyFixtures.tensors("case_a.safetensors");
        try (Autograd off = Autograd.off()) {
            Predictor.Step s = new Predictor(bf16).step(ref.get("raw_input"), c.fieldIndices(), c.bcs(),
                    c.variableChannels(), c.paddedFieldMask(), Rolls.zero(), null);
            assertEquals(org.walrusjava.tensor.DType.FLOAT32, s.nextFrame().dtype());
            // bf16 keeps 8 mantissa bits: a few percent of the output's range is the expected error.
            assertClose("model_output (bf16)", ref.get("model_output"), s.modelOutput(), 0, 0.05);
            assertClose("pred_next_frame (bf16)", ref.get("pred_next_frame"), s.nextFrame(), 0, 0.01);
        }
    }

    @Test
    void fourStepRolloutMatchesCaseE() {
        CaseSpec c = TinyFixtures.caseSpec("e");
        Map<String, Tensor> ref = TinyFixtures.tensors("case_e_rollout.safetensors");
        Rollout.Window w = new Rollout.Window(ref.get("initial_raw_input"), c.fieldIndices(), c.bcs(),
                c.variableChannels(), c.paddedFieldMask(), null);
        Rollout.Result r = Rollout.run(new Predictor(model), w, 4, Rolls.zero(), null);
        assertEquals(-1, r.divergedAt());
        assertClose("rollout_pred", ref.get("rollout_pred"), r.frames(), 2e-5, 2e-5);
        assertClose("rollout_pred[0] = case a pred", TinyFixtures.tensors("case_a.safetensors").get("pred_next_frame"),
                r.frames().narrow(0, 0, 1), 2e-5, 2e-5);
    }
}
