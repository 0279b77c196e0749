package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.model.TinyFixtures;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/** `walrus doctor` on reference cases one of which the model cannot reproduce: a FAIL line, exit 1, valid JSON. */
class DoctorCommandTest {
    @Test
    void aFailedCheckIsReportedAsFailAndExitsOne(@TempDir Path cases) throws Exception {
        for (String f : new String[] {"walrus.pt", "extended_config.yaml", "cases.json", "case_a.safetensors",
                "case_v2.safetensors", "case_d_train.safetensors", "case_d_grads.safetensors"})
            Files.copy(TinyFixtures.DIR.resolve(f), cases.resolve(f));
        try (NativeScope s = NativeScope.open()) {
            Path file = cases.resolve("case_a.safetensors");
            Map<String, Tensor> t = new HashMap<>(SafeTensors.read(file));
            t.put("pred_next_frame", t.get("pred_next_frame").mul(1.5));
            SafeTensors.write(file, t);
        }
        CliRun text = CliRun.of("doctor", "--cases", cases.toString());
        assertEquals(1, text.code(), text.out() + text.err());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("case a fp32")), text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("PASS") && l.contains("case v2 fp32")), text.out());
        assertTrue(text.out().contains("onednn"), "the machine is described first: " + text.out());
        assertTrue(text.out().contains("checks FAILED"), text.out());

        CliRun json = CliRun.of("doctor", "--json", "--cases", cases.toString());
        assertEquals(1, json.code());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertFalse(doc.get("passed").asBoolean());
        assertEquals(11, doc.get("checks").size());
        for (JsonNode c : doc.get("checks")) {
            boolean broken = c.get("name").asText().startsWith("case a");
            assertEquals(!broken, c.get("passed").asBoolean(), c.toString());
            assertTrue(c.get("tolerance").asDouble() > 0);
        }
        assertTrue(doc.get("machine").has("cpu"));
    }
}
