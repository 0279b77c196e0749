package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.HeadlessChromium;
import org.walrusjava.viz.RolloutPictures;

/** Opens the report in headless Chromium and checks that every image on the page loaded with the size of its file. */
class ReportInBrowserTest {
    @Test
    void everyImageOfTheReportLoadsInChromium(@TempDir Path dir) throws Exception {
        Path index = ReportFixtures.report(dir.resolve("report"), Synthetic.layout2d(16), 6, 6, 3,
                RolloutPictures.Options.defaults());
        Map<String, String> loaded = HeadlessChromium.render(index, dir).images();
        List<String> images = ReportFixtures.references(index).stream().filter(r -> r.endsWith(".png") || r.endsWith(".gif")).toList();
        assertEquals(images, List.copyOf(loaded.keySet()), "every image of the page is in the DOM");
        assertTrue(images.contains("rollout.gif") && images.contains("vrmse.png") && images.size() >= 8, images.toString());
        for (String src : images) {
            BufferedImage file = ImageIO.read(index.resolveSibling(src).toFile());
            assertEquals(file.getWidth() + "x" + file.getHeight(), loaded.get(src), src + " as the browser decoded it");
        }
    }
}
