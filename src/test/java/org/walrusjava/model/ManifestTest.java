package org.walrusjava.model;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The released config's state dict, key by key and shape by shape, without allocating any weight. */
class ManifestTest {
    @Test
    void releasedConfigProducesTheReleasedKeysAndShapes() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(TinyFixtures.DIR.resolve("full_model_manifest.json").toFile());
        Map<String, long[]> ours = new WalrusModel(WalrusConfig.released()).shapes();
        List<String> refKeys = new ArrayList<>();
        JsonNode keys = manifest.get("state_dict");
        for (JsonNode k : keys) {
            String name = k.get("key").asText();
            JsonNode shapeNode = k.get("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
            refKeys.add(name);
            assertTrue(ours.containsKey(name), "missing key " + name);
            assertArrayEquals(shape, ours.get(name), name + " " + Arrays.toString(ours.get(name)));
        }
        assertEquals(manifest.get("n_state_dict_entries").asInt(), refKeys.size());
        assertEquals(refKeys, new ArrayList<>(ours.keySet()), "key order");
        assertEquals(manifest.get("n_parameters").asLong(), new WalrusModel(WalrusConfig.released()).parameterCount());
    }

    @Test
    void tinyConfigMatchesTheTinyCheckpointKeys() {
        JsonNode keys = TinyFixtures.cases().get("weights").get("keys");
        Map<String, long[]> ours = new WalrusModel(TinyFixtures.config()).shapes();
        assertEquals(keys.size(), ours.size());
        assertEquals(2_574_919L, new WalrusModel(TinyFixtures.config()).parameterCount());
    }
}
