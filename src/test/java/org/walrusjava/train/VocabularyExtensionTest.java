package org.walrusjava.train;

import org.walrusjava.model.Initializer;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.model.Initializer;
import org.walrusjava.model.Rolls;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

/**
 * Adding fields to the vocabulary must leave the predictions for old fields as they were. Case b (WALL and OPEN
 * axes) is used because there the closed/open flag channels are non-zero: with periodic axes only, the RMS norm
 * after the first convolution cancels any common scale of the input columns and every rule would look exact.
 */
class VocabularyExtensionTest {
    static final int[][] WALL_OPEN = {{0, 0}, {1, 1}, {2, 2}};
    static Map<String, Tensor> trained;
    static List<String> oldNames;
    static List<String> newNames;
    static Tensor input;
    static Tensor original;

    @BeforeAll
    static void originalPrediction() throws Exception {
        trained = TestTensors.read(TestTensors.TINY_WEIGHTS);
        oldNames = TestTensors.vocabulary();
        newNames = new ArrayList<>(oldNames);
        newNames.addAll(List.of("vorticity", "salinity", "dye"));
        input = TestTensors.fixture("case_b.safetensors").get("normalized_input");
        original = predict(trained, 67, LossTest.LABELS);
    }

    static Tensor predict(Map<String, Tensor> weights, int states, long[] labels) {
        WalrusModel model = new WalrusModel(TestTensors.tinyConfig().withStates(states));
        model.load(weights, DType.FLOAT32, Device.CPU, "test");
        try (Autograd off = Autograd.off()) {
            return model.forward(input, labels, WALL_OPEN, Rolls.zero());
        }
    }

    static Map<String, Tensor> extended(VocabularyExtension.Alignment alignment) {
        WalrusModel bigger = new WalrusModel(TestTensors.tinyConfig().withStates(newNames.size()));
        return VocabularyExtension.extend(trained, oldNames, newNames, Initializer.fresh(bigger, 3), alignment);
    }

    @Test
    void exactAlignmentKeepsOldPredictions() {
        Tensor after = predict(extended(VocabularyExtension.Alignment.EXACT), newNames.size(), LossTest.LABELS);
        double diff = TestTensors.maxAbsDiff(original, after);
        System.out.printf("vocabulary 67 -> 70, exact alignment: max |diff| %.2e (max |output| %.3f)%n", diff,
                TestTensors.maxAbs(original));
        assertTrue(diff <= 2e-6 * TestTensors.maxAbs(original), "max diff " + diff);
    }

    @Test
    void upstreamAlignmentShiftsOldPredictionsSlightly() {
        Tensor after = predict(extended(VocabularyExtension.Alignment.UPSTREAM), newNames.size(), LossTest.LABELS);
        double rel = TestTensors.maxAbsDiff(original, after) / TestTensors.maxAbs(original);
        System.out.printf("vocabulary 67 -> 70, upstream sqrt(old/new): max relative change %.2e%n", rel);
        assertTrue(rel > 1e-4 && rel < 0.2, "relative change " + rel);
    }

    @Test
    void newFieldsAreFreshAndUsable() {
        Map<String, Tensor> w = extended(VocabularyExtension.Alignment.EXACT);
        Tensor enc = w.get("embed.2.proj1.weight");
        Tensor fresh = Initializer.fresh(new WalrusModel(TestTensors.tinyConfig().withStates(70)), 3).get("embed.2.proj1.weight");
        assertEquals(0.0, TestTensors.maxAbsDiff(enc.narrow(1, 67, 3), fresh.narrow(1, 67, 3)));
        assertEquals(0.0, TestTensors.maxAbsDiff(w.get("debed.2.proj2.bias").narrow(0, 0, 67), trained.get("debed.2.proj2.bias")));
        assertEquals(0.0, TestTensors.maxAbsDiff(w.get("blocks.1.space_mixing.ff_out.weight"), trained.get("blocks.1.space_mixing.ff_out.weight")));
        // density replaced by the new field "salinity" (index 68): runs and gives a different prediction
        Tensor other = predict(w, 70, new long[] {68, 3, 4, 5, 6, 8});
        assertTrue(other.allFinite());
        assertTrue(TestTensors.maxAbsDiff(original, other) > 1e-3);
    }

    @Test
    void droppingAFieldOrMovingBoundaryTokensIsRefused() {
        WalrusModel same = new WalrusModel(TestTensors.tinyConfig());
        Map<String, Tensor> fresh = Initializer.fresh(same, 1);
        List<String> dropped = new ArrayList<>(oldNames);
        dropped.set(40, "something_else");
        assertThrows(UserError.class, () -> VocabularyExtension.extend(trained, oldNames, dropped, fresh,
                VocabularyExtension.Alignment.EXACT));
        List<String> moved = new ArrayList<>(oldNames);
        moved.set(0, "open_boundary");
        moved.set(1, "closed_boundary");
        assertThrows(UserError.class, () -> VocabularyExtension.extend(trained, oldNames, moved, fresh,
                VocabularyExtension.Alignment.EXACT));
    }
}
