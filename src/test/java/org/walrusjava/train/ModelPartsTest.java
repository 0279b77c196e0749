package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.model.WalrusModel;
import org.walrusjava.nn.Module;
import org.walrusjava.tensor.Tensor;

class ModelPartsTest {
    @Test
    void partsMatchTheirKeys() {
        var encoder = ModelParts.part("encoder");
        assertTrue(encoder.test("embed.2.proj1.weight"));
        assertTrue(encoder.test("encoder_dummy"));
        assertFalse(encoder.test("debed.2.proj1.weight"));
        var range = ModelParts.part("blocks.0-9");
        assertTrue(range.test("blocks.0.space_mixing.norm1.weight"));
        assertTrue(range.test("blocks.9.time_mixing.qnorm.bias"));
        assertFalse(range.test("blocks.10.time_mixing.qnorm.bias"));
        var prefix = ModelParts.part("blocks.1.time_mixing");
        assertTrue(prefix.test("blocks.1.time_mixing.norm1.weight"));
        assertFalse(prefix.test("blocks.11.time_mixing.norm1.weight"));
        assertFalse(prefix.test("blocks.1.space_mixing.norm1.weight"));
    }

    @Test
    void freezingAndMultipliersSelectParameters() {
        WalrusModel model = new WalrusModel(TestTensors.tinyConfig());
        for (var e : model.slots().entrySet()) e.getValue().set(Tensor.zeros(e.getValue().shape()));
        List<TrainableParameter> ps = ModelParts.select(model, "encoder,blocks.0", Map.of("decoder", 0.5, "debed.2", 0.1));
        for (TrainableParameter p : ps) {
            assertFalse(p.name().startsWith("embed.") || p.name().startsWith("blocks.0.") || p.name().equals("encoder_dummy"));
            double expected = p.name().startsWith("debed.2.") ? 0.05 : p.name().startsWith("debed.") ? 0.5 : 1.0;
            assertEquals(expected, p.lrMultiplier(), 1e-12, p.name());
        }
        Map<String, Module.Slot> slots = model.slots();
        assertFalse(slots.get("embed.2.proj1.weight").get().requiresGrad());
        assertTrue(slots.get("blocks.1.space_mixing.norm1.weight").get().requiresGrad());
        assertFalse(slots.get("blocks.1.space_mixing.rotary_emb.freqs").get().requiresGrad(), "buffers never train");
        assertEquals(model.parameterCount(), ps.stream().mapToLong(p -> p.value().numel()).sum()
                + model.slots().entrySet().stream().filter(e -> e.getValue().trainable()
                        && (e.getKey().startsWith("embed.") || e.getKey().startsWith("blocks.0.")
                                || e.getKey().equals("encoder_dummy")))
                        .mapToLong(e -> e.getValue().get().numel()).sum());
    }

    @Test
    void unknownPartIsAnError() {
        WalrusModel model = new WalrusModel(TestTensors.tinyConfig());
        for (var e : model.slots().entrySet()) e.getValue().set(Tensor.zeros(e.getValue().shape()));
        UserError e = assertThrows(UserError.class, () -> ModelParts.select(model, "encodr", Map.of()));
        assertTrue(e.getMessage().contains("encodr"));
        assertThrows(UserError.class, () -> ModelParts.select(model, "blocks.5-7", Map.of()));
    }
}
