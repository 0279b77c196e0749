package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WellDatasetOptionsTest {
    private static Map<String, Object> config(Map<String, Object> entry) {
        return Map.of("data", Map.of("module_parameters", Map.of("well_dataset_info", Map.of("turbulence_3d", entry))));
    }

    @Test
    void readsTheReleasedFactorsAndTheSamplingWeight() {
        WellDatasetOptions o = WellDatasetOptions.fromConfig(config(Map.of("step_downsample_factor", 0.5,
                "batch_downsample_factor", 0.5, "sampling_weight", 0.3)), "turbulence_3d");
        assertEquals(3, o.inputSteps(6));
        assertEquals(2, o.batchSize(4));
        assertEquals(0.3, o.samplingWeight());
    }

    @Test
    void datasetsWithoutAnEntryKeepTheReleasedDefaults() {
        WellDatasetOptions o = WellDatasetOptions.fromConfig(config(Map.of("sampling_weight", 0.3)), "shear_flow");
        assertEquals(6, o.inputSteps(6));
        assertEquals(4, o.batchSize(4));
        assertEquals(1.0, o.samplingWeight());
    }

    @Test
    void aNonPositiveSamplingWeightNamesItsKey() {
        var e = assertThrows(org.walrusjava.UserError.class, () -> WellDatasetOptions.fromConfig(
                config(Map.of("sampling_weight", 0)), "turbulence_3d"));
        assertEquals("data.module_parameters.well_dataset_info.turbulence_3d.sampling_weight is 0.0; it must be a"
                + " positive number", e.getMessage());
    }
}
