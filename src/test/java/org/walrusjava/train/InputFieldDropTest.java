package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.walrusjava.model.ForwardTrace;
import org.walrusjava.model.Normalization;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * model.input_field_drop as upstream's IsotropicModel applies it: dropout3d with p = input_field_drop / C over
 * (B, C, T*H, W, D) in training mode only, so whole fields of a sample vanish over the window and the survivors
 * are scaled by 1 / (1 - p); the loss still scores every field.
 */
class InputFieldDropTest {
    static final long[] LABELS = {28, 3, 4, 5};
    static final int[][] PERIODIC = {{2, 2}, {2, 2}, {2, 2}};
    static final int T = 2, B = 8, C = 4, N = 32;

    /** 1.2 over 4 fields: each (sample, field) is dropped with probability 0.3. */
    static WalrusModel model() throws Exception {
        return TestTensors.tinyModel(TestTensors.tinyConfig(true, 1.2));
    }

    /** Inputs of 1 + |noise|, so that only dropout makes a field zero. */
    static Tensor input() {
        Tensor.manualSeed(11);
        return Tensor.randn(DType.FLOAT32, Device.CPU, T, B, C, N, N, 1).abs().add(1f);
    }

    /** The data channels the encoder saw, after dropout, the encoder_dummy scale and circular padding. */
    static Tensor encoderInput(WalrusModel model, Tensor x) {
        ForwardTrace trace = new ForwardTrace();
        model.encode(x, LABELS, PERIODIC, Rolls.zero(), trace);
        return trace.tensors().get("encoder_input_padded").narrow(2, 0, C);
    }

    @Test
    void trainingDropsWholeFieldsAtTheConfiguredRateAndEvaluationNever() throws Exception {
        WalrusModel model = model();
        Tensor x = input();
        Tensor plainTensor = encoderInput(model, x);
        float[] plain = plainTensor.toFloatArray();
        int points = (int) (plainTensor.size(3) * plainTensor.size(4) * plainTensor.size(5));
        model.train(true);
        Tensor.manualSeed(5);
        int dropped = 0, draws = 100;
        for (int d = 0; d < draws; d++) {
            float[] seen = encoderInput(model, x).toFloatArray();
            for (int b = 0; b < B; b++)
                for (int c = 0; c < C; c++) {
                    boolean zero = seen[(b * C + c) * points] == 0f;
                    if (zero) dropped++;
                    int wrong = 0;
                    for (int t = 0; t < T; t++)
                        for (int i = 0; i < points; i++) {
                            int at = ((t * B + b) * C + c) * points + i;
                            float expected = zero ? 0f : plain[at] / 0.7f;
                            if (!(Math.abs(seen[at] - expected) <= 1e-6f * Math.abs(expected))) wrong++;
                        }
                    assertEquals(0, wrong, "field " + c + " of sample " + b
                            + " is zero over the whole window or kept and scaled by 1 / 0.7 everywhere");
                }
        }
        // 3200 (sample, field) draws at p = 0.3: 960 expected, standard deviation 26
        System.out.printf("input field dropout: %d of %d fields dropped%n", dropped, draws * B * C);
        assertEquals(0.3, dropped / (double) (draws * B * C), 0.03);

        model.train(false);
        for (int d = 0; d < 3; d++)
            assertArrayEquals(plain, encoderInput(model, x).toFloatArray(), "no dropout in evaluation");
    }

    @Test
    void theLossScoresEveryFieldAgainstUntouchedTargets() throws Exception {
        WalrusModel model = model();
        model.train(true);
        Tensor raw = input();
        Tensor.manualSeed(12);
        Tensor next = Tensor.randn(DType.FLOAT32, Device.CPU, 1, B, C, N, N, 1).add(1f);
        boolean[] real = {true, true, true, true};
        Batch batch = new Batch(raw, next, LABELS, PERIODIC, real, "synthetic");

        Tensor.manualSeed(99);
        Loss.Result r = Loss.of(model, batch, Rolls.zero(), 1);

        // The same draw by hand: targets are the undropped increments; every field is in the mean.
        Normalization.Stats stats = Normalization.of(raw);
        Tensor targets = Loss.deltaTargets(raw, next, C).div(stats.deltaRms());
        Tensor.manualSeed(99);
        Tensor out = model.forward(raw.div(stats.sampleRms()), LABELS, PERIODIC, Rolls.zero());
        double expected = 100 * out.narrow(0, 1, T - 1).sub(targets.narrow(0, 1, T - 1)).abs().mean().itemDouble();
        assertEquals(expected, r.lossX100().itemDouble(), 1e-6 * expected);
        assertArrayEquals(new long[] {B, T - 1, C}, r.perSampleStepFieldMae().shape());

        model.train(false);
        double undropped = Loss.of(model, batch, Rolls.zero(), 1).lossX100().itemDouble();
        assertNotEquals(undropped, r.lossX100().itemDouble(), "the dropout reached the loss");
        model.train(true);
        Tensor.manualSeed(99);
        assertEquals(r.lossX100().itemDouble(), Loss.of(model, batch, Rolls.zero(), 1).lossX100().itemDouble(),
                "the seeded draw repeats");
    }
}
