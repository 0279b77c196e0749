package org.walrusjava.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.Optional;

/**
 * One picture of one rollout step: a row per field (three rows per 3-D field, one per mid-plane) with the truth
 * and the prediction on shared colour limits (viridis), the error prediction - truth on limits symmetric about
 * zero (cool-warm), and, for an ensemble, the spread; each scale with a labelled colour bar. Images are drawn with
 * the first axis to the right and the second axis up (origin at the lower left).
 */
public final class FieldPanel {
    /** One row: a field (one plane of it) with the colour limits to use. */
    public record Row(String field, Slice truth, Slice prediction, Optional<Slice> spread, ValueRange values,
                      ValueRange errors, ValueRange spreadRange) {
        /** A row with error limits symmetric about the largest error of this row and spread limits [0, max]. */
        public static Row of(String field, Slice truth, Slice prediction, Optional<Slice> spread, ValueRange values) {
            ValueRange errors = ValueRange.symmetric(prediction.minus(truth).values());
            ValueRange spreadRange = spread.map(s -> new ValueRange(0, Math.max(ValueRange.of(s.values()).max(), 0)))
                    .orElse(new ValueRange(0, 1));
            return new Row(field, truth, prediction, spread, values, errors, spreadRange);
        }
    }

    /** The image columns, left to right. */
    public enum Column { TRUTH, PREDICTION, ERROR, SPREAD }

    private static final int PAD = 12;
    private static final int TITLE_HEIGHT = 30;
    private static final int HEADER_HEIGHT = 20;
    private static final int LABEL_WIDTH = 140;
    private static final int GAP = 10;
    private static final int BAR_WIDTH = 12;
    private static final int BAR_TEXT = 64;
    private static final int ROW_GAP = 14;
    private static final int MIN_SIDE = 160;
    private static final int MAX_SIDE = 320;

    private final String title;
    private final List<Row> rows;
    private final boolean withSpread;
    private final double scale;
    private final int boxWidth;
    private final int[] rowTop;
    private final int[] columnLeft = new int[Column.values().length];
    private final int width;
    private final int height;

    public FieldPanel(String title, List<Row> rows) {
        Headless.ensure();
        if (rows.isEmpty()) throw new IllegalArgumentException("a panel needs at least one row");
        this.title = title;
        this.rows = List.copyOf(rows);
        this.withSpread = rows.stream().anyMatch(r -> r.spread().isPresent());
        int longest = 1;
        for (Row r : rows) longest = Math.max(longest, Math.max(r.truth().width(), r.truth().height()));
        this.scale = longest < MIN_SIDE ? Math.ceil((double) MIN_SIDE / longest)
                : longest > MAX_SIDE ? (double) MAX_SIDE / longest : 1;
        int widest = 1;
        for (Row r : rows) widest = Math.max(widest, displayed(r.truth().width()));
        this.boxWidth = widest;
        int x = PAD + LABEL_WIDTH;
        columnLeft[Column.TRUTH.ordinal()] = x;
        columnLeft[Column.PREDICTION.ordinal()] = x += boxWidth + GAP;
        columnLeft[Column.ERROR.ordinal()] = x += boxWidth + GAP + BAR_WIDTH + BAR_TEXT;
        columnLeft[Column.SPREAD.ordinal()] = x += boxWidth + GAP + BAR_WIDTH + BAR_TEXT;
        int columns = withSpread ? 4 : 3;
        this.width = columnLeft[columns - 1] + boxWidth + GAP + BAR_WIDTH + BAR_TEXT + PAD;
        this.rowTop = new int[rows.size()];
        int y = PAD + TITLE_HEIGHT + HEADER_HEIGHT;
        for (int r = 0; r < rows.size(); r++) {
            rowTop[r] = y;
            y += displayed(rows.get(r).truth().height()) + ROW_GAP;
        }
        this.height = y + PAD;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * The pixel at the centre of data cell (i, j) of a row's image in a column: i along the horizontal axis, j
     * along the vertical one. Exact when the field is shown with at least one pixel per cell.
     */
    public Point pixelOf(int row, Column column, int i, int j) {
        int shownHeight = displayed(rows.get(row).truth().height());
        int x = columnLeft[column.ordinal()] + (int) Math.floor((i + 0.5) * scale);
        int y = rowTop[row] + shownHeight - 1 - (int) Math.floor((j + 0.5) * scale);
        return new Point(x, y);
    }

    public BufferedImage render() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, PAD, PAD + 18);
            drawHeaders(g);
            for (int r = 0; r < rows.size(); r++) drawRow(g, image, r);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void drawHeaders(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int y = PAD + TITLE_HEIGHT + 12;
        g.drawString("truth", columnLeft[Column.TRUTH.ordinal()], y);
        g.drawString("prediction", columnLeft[Column.PREDICTION.ordinal()], y);
        g.drawString("error (prediction \u2212 truth)", columnLeft[Column.ERROR.ordinal()], y);
        if (withSpread) g.drawString("ensemble spread", columnLeft[Column.SPREAD.ordinal()], y);
    }

    private void drawRow(Graphics2D g, BufferedImage image, int r) {
        Row row = rows.get(r);
        int top = rowTop[r];
        int shownHeight = displayed(row.truth().height());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        drawClipped(g, row.field(), PAD, top + shownHeight / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        drawClipped(g, row.truth().plane(), PAD, top + shownHeight / 2 + 16);

        ColorMap viridis = ColorMap.viridis();
        paint(image, row.truth(), viridis, row.values(), Column.TRUTH, top);
        paint(image, row.prediction(), viridis, row.values(), Column.PREDICTION, top);
        colourBar(g, viridis, row.values(), Column.PREDICTION, top, shownHeight, false);
        paint(image, row.prediction().minus(row.truth()), ColorMap.coolwarm(), row.errors(), Column.ERROR, top);
        colourBar(g, ColorMap.coolwarm(), row.errors(), Column.ERROR, top, shownHeight, true);
        row.spread().ifPresent(s -> {
            paint(image, s, viridis, row.spreadRange(), Column.SPREAD, top);
            colourBar(g, viridis, row.spreadRange(), Column.SPREAD, top, shownHeight, false);
        });
    }

    private void paint(BufferedImage image, Slice slice, ColorMap map, ValueRange range, Column column, int top) {
        int[] cellColour = new int[slice.values().length];
        for (int c = 0; c < cellColour.length; c++) cellColour[c] = map.rgb(slice.values()[c], range);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int left = columnLeft[column.ordinal()];
        int shownWidth = displayed(slice.width());
        int shownHeight = displayed(slice.height());
        for (int py = 0; py < shownHeight; py++) {
            int j = Math.min(slice.height() - 1, (int) ((shownHeight - 1 - py) / scale));
            int rowStart = (top + py) * width + left;
            for (int px = 0; px < shownWidth; px++) {
                int i = Math.min(slice.width() - 1, (int) (px / scale));
                pixels[rowStart + px] = cellColour[i * slice.height() + j];
            }
        }
    }

    /** A vertical bar right of the column's image, max at the top, with its end values (and 0 when symmetric). */
    private void colourBar(Graphics2D g, ColorMap map, ValueRange range, Column column, int top, int barHeight,
                           boolean markZero) {
        int x = columnLeft[column.ordinal()] + boxWidth + GAP / 2;
        for (int py = 0; py < barHeight; py++) {
            double t = barHeight == 1 ? 0.5 : 1 - (double) py / (barHeight - 1);
            g.setColor(new Color(map.rgb(t)));
            g.fillRect(x, top + py, BAR_WIDTH, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(x, top, BAR_WIDTH, barHeight - 1);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int textX = x + BAR_WIDTH + 4;
        g.drawString(Format.number(range.max()), textX, top + 10);
        g.drawString(Format.number(range.min()), textX, top + barHeight - 1);
        if (markZero) g.drawString("0", textX, top + barHeight / 2 + 4);
    }

    private void drawClipped(Graphics2D g, String text, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        String shown = text;
        while (!shown.isEmpty() && fm.stringWidth(shown) > LABEL_WIDTH - 8) shown = shown.substring(0, shown.length() - 1);
        if (!shown.equals(text) && shown.length() > 1) shown = shown.substring(0, shown.length() - 1) + "\u2026";
        g.drawString(shown, x, y);
    }

    private int displayed(int cells) {
        return Math.max(1, (int) Math.round(cells * scale));
    }
}
