package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;

class FieldVocabularyTest {
    private static Path releasedConfig() {
        return WellFixtures.root().getParent().resolve("walrus-released/extended_config.yaml");
    }

    /** The built-in list equals the released config's field_index_map_override, index by index. */
    @Test
    void builtInCopyMatchesTheReleasedConfig() {
        FieldVocabulary fromConfig = FieldVocabulary.fromConfigFile(releasedConfig());
        assertEquals(67, fromConfig.size());
        assertEquals(FieldVocabulary.released(), fromConfig);
        assertEquals(0, fromConfig.indexOf("closed_boundary"));
        assertEquals(2, fromConfig.indexOf("bias_correction"));
        assertEquals(55, fromConfig.indexOf("log10_density"));
        assertEquals(66, fromConfig.indexOf("C_zz"));
    }

    @Test
    void extensionAppendsNewNamesOnly() {
        FieldVocabulary v = FieldVocabulary.released().extendedWith(List.of("density", "diffusivity", "tracer2"));
        assertEquals(69, v.size());
        assertEquals(28, v.indexOf("density"));
        assertEquals(67, v.indexOf("diffusivity"));
        assertEquals(68, v.indexOf("tracer2"));
        assertEquals(v, FieldVocabulary.fromIndexMap(v.toIndexMap()));
    }

    @Test
    void badMapsAndUnknownNames() {
        assertThrows(IllegalArgumentException.class, () -> FieldVocabulary.fromIndexMap(Map.of("a", 0, "b", 2)));
        assertThrows(IllegalArgumentException.class, () -> FieldVocabulary.of(List.of("a", "a")));
        UserError e = assertThrows(UserError.class,
                () -> FieldVocabulary.released().indicesOf(List.of("density", "foo", "bar"), "mine"));
        assertTrue(e.getMessage().startsWith("dataset 'mine': fields foo, bar are not in the Walrus field vocabulary"));
    }

    /** Per-dataset options of the released config: the astro sets log10 density/temperature at half the steps. */
    @Test
    void datasetOptionsFromTheReleasedConfig() {
        Map<String, Object> config = FieldVocabulary.ConfigTree.load(releasedConfig());
        WellDatasetOptions sn = WellDatasetOptions.fromConfig(config, "supernova_explosion_128");
        assertEquals(Map.of("density", FieldTransform.LOG10, "temperature", FieldTransform.LOG10), sn.fieldTransforms());
        assertEquals(3, sn.inputSteps(6));
        assertEquals(1, sn.batchSize(2));
        WellDatasetOptions maze = WellDatasetOptions.fromConfig(config, "acoustic_scattering_maze");
        assertEquals(Map.of("density", FieldTransform.ZEROS_LIKE), maze.fieldTransforms());
        assertEquals(6, maze.inputSteps(6));
        assertEquals(WellDatasetOptions.defaults(), WellDatasetOptions.fromConfig(config, "not_in_config"));
        assertEquals("log10_density", FieldTransform.LOG10.rename("density"));
    }
}
