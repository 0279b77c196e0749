package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.viz.RolloutPictures;

class RolloutReportTest {
    private static Set<String> filesUnder(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            walk.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString()));
            return out;
        }
    }

    @Test
    void writesEveryFileAndTheIndexReferencesExactlyThem(@TempDir Path dir) throws Exception {
        Path index = ReportFixtures.report(dir, Synthetic.layout2d(16), 12, 12, 1, RolloutPictures.Options.defaults());
        Set<String> files = filesUnder(dir);
        List<String> refs = ReportFixtures.references(index);
        for (String r : refs) assertTrue(files.contains(r), "index.html refers to missing " + r);
        Set<String> expected = new TreeSet<>(files);
        expected.remove("index.html");
        assertEquals(expected, new TreeSet<>(refs), "every written file is shown or linked");
        assertEquals(8, files.stream().filter(f -> f.startsWith("panels/")).count());
        assertTrue(files.contains("panels/step_0001.png") && files.contains("panels/step_0012.png"));

        BufferedImage panel = ImageIO.read(dir.resolve("panels/step_0003.png").toFile());
        assertNotNull(panel, "panels decode");
        assertEquals(12, ReportFixtures.gifFrames(dir.resolve("rollout.gif")));
        BufferedImage firstFrame = ImageIO.read(dir.resolve("rollout.gif").toFile());
        assertEquals(panel.getWidth(), firstFrame.getWidth());
        assertEquals(panel.getHeight(), firstFrame.getHeight());
        BufferedImage plot = ImageIO.read(dir.resolve("vrmse.png").toFile());
        assertEquals(900, plot.getWidth());
        assertEquals(520, plot.getHeight());

        String html = Files.readString(index);
        assertTrue(html.contains("synthetic &lt;rollout&gt;"));
        assertTrue(html.contains("<th>6-12</th>"), "the metric table has The Well's windows");
        assertTrue(!html.contains("velocity_z"), "the padded component is not reported");
    }

    @Test
    void longRolloutsKeepABoundedNumberOfFrames(@TempDir Path dir) throws Exception {
        ReportFixtures.report(dir, Synthetic.layout2d(8), 30, 30, 1, new RolloutPictures.Options(10, 3, 100, 64));
        // Every third step (0, 3, ..., 27) and the last one (29).
        assertEquals(11, ReportFixtures.gifFrames(dir.resolve("rollout.gif")));
        assertEquals(Set.of("panels/step_0001.png", "panels/step_0016.png", "panels/step_0030.png"),
                Set.copyOf(filesUnder(dir).stream().filter(f -> f.startsWith("panels/")).toList()));
    }

    @Test
    void aRolloutStoppedEarlyReportsTheStepsItHas(@TempDir Path dir) throws Exception {
        ReportFixtures.report(dir, Synthetic.layout2d(8), 10, 4, 1, RolloutPictures.Options.defaults());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(4, json.get("steps").asInt());
        assertEquals(4, ReportFixtures.gifFrames(dir.resolve("rollout.gif")));
    }

    @Test
    void ensemblesAddASpreadColumnAndTheirMetrics(@TempDir Path dir) throws Exception {
        Path single = dir.resolve("single");
        Path ensemble = dir.resolve("ensemble");
        ReportFixtures.report(single, Synthetic.layout2d(8), 3, 3, 1, RolloutPictures.Options.defaults());
        Path index = ReportFixtures.report(ensemble, Synthetic.layout2d(8), 3, 3, 4, RolloutPictures.Options.defaults());
        int singleWidth = ImageIO.read(single.resolve("panels/step_0001.png").toFile()).getWidth();
        int ensembleWidth = ImageIO.read(ensemble.resolve("panels/step_0001.png").toFile()).getWidth();
        assertTrue(ensembleWidth > singleWidth, "spread column");
        JsonNode json = new ObjectMapper().readTree(ensemble.resolve("metrics.json").toFile());
        assertEquals(4, json.get("ensemble").get("members").asInt());
        assertTrue(Files.readString(index).contains("Ensemble of 4"));
    }

    @Test
    void threeDimensionalRolloutsShowThreeMidPlanesPerField(@TempDir Path dir) throws Exception {
        FieldLayout flat = new FieldLayout(Synthetic.CHANNELS, Synthetic.REAL, new int[] {8, 8, 1});
        FieldLayout cube = new FieldLayout(Synthetic.CHANNELS, Synthetic.REAL, new int[] {8, 8, 8});
        ReportFixtures.report(dir.resolve("flat"), flat, 2, 2, 1, RolloutPictures.Options.defaults());
        ReportFixtures.report(dir.resolve("cube"), cube, 2, 2, 1, RolloutPictures.Options.defaults());
        int flatHeight = ImageIO.read(dir.resolve("flat/panels/step_0002.png").toFile()).getHeight();
        int cubeHeight = ImageIO.read(dir.resolve("cube/panels/step_0002.png").toFile()).getHeight();
        assertTrue(cubeHeight > 2.5 * (flatHeight - 80), flatHeight + " vs " + cubeHeight);
        assertEquals(2, ReportFixtures.gifFrames(dir.resolve("cube/rollout.gif")));
    }
}
