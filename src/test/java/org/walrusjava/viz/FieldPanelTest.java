package org.walrusjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldPanelTest {
    /** 4 x 4 field, value = 4 i + j: 0 at (0, 0), 15 at (3, 3). */
    private static Slice ramp() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        return new Slice("", 4, 4, v);
    }

    @Test
    void aKnownFieldRendersTheExpectedColoursAtKnownPixels(@TempDir Path dir) throws Exception {
        Slice truth = ramp();
        float[] p = truth.values().clone();
        p[3 * 4 + 2] += 3; // prediction too high at (3, 2): 17, above the truth's range
        p[1 * 4 + 3] -= 1.5f; // too low at (1, 3)
        Slice prediction = new Slice("", 4, 4, p);
        FieldPanel.Row row = FieldPanel.Row.of("density", truth, prediction, Optional.empty(), ValueRange.of(truth.values()));
        FieldPanel panel = new FieldPanel("step 3", List.of(row));
        Path file = dir.resolve("panel.png");
        PngFile.write(file, panel.render());
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image);
        assertEquals(panel.width(), image.getWidth());
        assertEquals(panel.height(), image.getHeight());

        // Truth: lowest value viridis' first colour, highest its last; prediction on the same limits.
        assertEquals(0x440154, rgb(image, panel.pixelOf(0, FieldPanel.Column.TRUTH, 0, 0)));
        assertEquals(0xFDE725, rgb(image, panel.pixelOf(0, FieldPanel.Column.TRUTH, 3, 3)));
        assertEquals(ColorMap.viridis().rgb(6 / 15.0), rgb(image, panel.pixelOf(0, FieldPanel.Column.TRUTH, 1, 2)));
        assertEquals(0xFDE725, rgb(image, panel.pixelOf(0, FieldPanel.Column.PREDICTION, 3, 2)),
                "above the truth's range: saturated at the top colour");
        assertEquals(0x440154, rgb(image, panel.pixelOf(0, FieldPanel.Column.PREDICTION, 0, 0)));
        // Error: symmetric limits +/-3, so +3 is cool-warm's red end, 0 its grey middle, -1.5 a quarter up.
        assertEquals(0xB40426, rgb(image, panel.pixelOf(0, FieldPanel.Column.ERROR, 3, 2)));
        assertEquals(0xDDDDDD, rgb(image, panel.pixelOf(0, FieldPanel.Column.ERROR, 0, 0)));
        assertEquals(ColorMap.coolwarm().rgb(0.25), rgb(image, panel.pixelOf(0, FieldPanel.Column.ERROR, 1, 3)));
    }

    @Test
    void theSecondAxisPointsUp() {
        FieldPanel panel = new FieldPanel("t", List.of(FieldPanel.Row.of("f", ramp(), ramp(), Optional.empty(),
                new ValueRange(0, 15))));
        Point low = panel.pixelOf(0, FieldPanel.Column.TRUTH, 0, 0);
        Point high = panel.pixelOf(0, FieldPanel.Column.TRUTH, 0, 3);
        Point right = panel.pixelOf(0, FieldPanel.Column.TRUTH, 3, 0);
        assertEquals(low.x, high.x);
        assertEquals(true, high.y < low.y);
        assertEquals(low.y, right.y);
        assertEquals(true, right.x > low.x);
    }

    @Test
    void ensemblePanelsAddASpreadColumnAndThreeDimensionalFieldsThreeRows() {
        int n = 6;
        float[] field = new float[n * n * n];
        for (int i = 0; i < field.length; i++) field[i] = (float) Math.sin(i * 0.1);
        List<Slice> planes = Slice.midPlanes(field, new int[] {n, n, n});
        List<FieldPanel.Row> rows = planes.stream().map(s -> FieldPanel.Row.of("energy", s, s, Optional.of(s),
                ValueRange.of(field))).toList();
        FieldPanel withSpread = new FieldPanel("step 1", rows);
        FieldPanel withoutSpread = new FieldPanel("step 1", rows.stream().map(r -> FieldPanel.Row.of(r.field(),
                r.truth(), r.prediction(), Optional.empty(), r.values())).toList());
        assertEquals(true, withSpread.width() > withoutSpread.width());
        FieldPanel oneRow = new FieldPanel("step 1", rows.subList(0, 1));
        int rowPitch = withSpread.pixelOf(1, FieldPanel.Column.TRUTH, 0, 0).y - withSpread.pixelOf(0, FieldPanel.Column.TRUTH, 0, 0).y;
        assertEquals(rowPitch, withSpread.pixelOf(2, FieldPanel.Column.TRUTH, 0, 0).y - withSpread.pixelOf(1, FieldPanel.Column.TRUTH, 0, 0).y);
        assertEquals(oneRow.height() + 2 * rowPitch, withSpread.height(), "one row per mid-plane");
        BufferedImage image = withSpread.render();
        Point p = withSpread.pixelOf(2, FieldPanel.Column.SPREAD, 1, 1);
        double spreadValue = planes.get(2).value(1, 1);
        assertEquals(ColorMap.viridis().rgb(spreadValue, rows.get(2).spreadRange()), image.getRGB(p.x, p.y) & 0xFFFFFF);
    }

    private static int rgb(BufferedImage image, Point p) {
        return image.getRGB(p.x, p.y) & 0xFFFFFF;
    }

    @Test
    void pngWritesLeaveNoTemporaryFiles(@TempDir Path dir) throws Exception {
        PngFile.write(dir.resolve("a.png"), new FieldPanel("x", List.of(FieldPanel.Row.of("f", ramp(), ramp(),
                Optional.empty(), new ValueRange(0, 15)))).render());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("a.png"), files.map(f -> f.getFileName().toString()).toList());
        }
    }
}
