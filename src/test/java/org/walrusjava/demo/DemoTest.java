package org.walrusjava.demo;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.HeadlessChromium;
import org.walrusjava.sim.Simulators;

/**
 * The demo end to end at test size: simulate all four systems, train, roll out the held-out trajectories, and
 * write metrics.json and a report that renders in Chromium.
 */
class DemoTest {
    static final List<String> SYSTEMS = List.of("navier_stokes_2d", "acoustics_2d", "gray_scott_2d", "advection_diffusion_3d");

    static DemoSettings testSize() {
        List<DemoSettings.Dataset> data = SYSTEMS.stream().map(n -> new DemoSettings.Dataset(Simulators.byName(n),
                n.endsWith("3d") ? 16 : 32, 10, 16)).toList();
        return new DemoSettings(data, new DemoSettings.Model(32, 16, 1, 2), new DemoSettings.Training(12, 1, 2e-3, 4), 10, 0);
    }

    @Test
    void simulatesTrainsEvaluatesAndReports(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Demo.Result r = Demo.run(testSize(), dir.resolve("demo"), new PrintStream(log, true));

        JsonNode metrics = new ObjectMapper().readTree(r.metrics().toFile());
        List<String> names = new java.util.ArrayList<>();
        metrics.get("systems").fieldNames().forEachRemaining(names::add);
        assertEquals(SYSTEMS, names);
        for (String system : SYSTEMS) {
            JsonNode s = metrics.get("systems").get(system);
            double persistence = s.get("persistence").get("vrmse_1step").asDouble();
            // The frame spacing of every system makes persistence neither trivial nor hopeless.
            assertTrue(persistence >= 0.05 && persistence <= 0.5, system + " persistence 1-step VRMSE " + persistence);
            assertTrue(s.get("persistence").get("vrmse_10step").asDouble() > persistence, system);
            for (String k : new String[] {"vrmse_1step", "vrmse_10step"})
                assertTrue(Double.isFinite(s.get("model").get(k).asDouble()), system + " model " + k);
            assertEquals(1, s.get("held_out_trajectories").asInt());
        }
        assertTrue(log.toString().contains("advection_diffusion_3d"), log.toString());

        HeadlessChromium.Rendered page = HeadlessChromium.render(r.index(), dir);
        assertEquals(2 * SYSTEMS.size(), page.images().size(), page.images().toString());
        page.images().forEach((src, size) -> assertNotEquals("0x0", size, src + " did not load"));
        assertEquals(1 + SYSTEMS.size(), page.tableRows(), "header and one row per system");
        String html = Files.readString(r.index());
        for (String system : SYSTEMS)
            assertTrue(Files.exists(r.index().resolveSibling("systems/" + system + "/trajectory-0/index.html")), system);
        assertTrue(html.contains("navier_stokes_2d"));
    }
}
