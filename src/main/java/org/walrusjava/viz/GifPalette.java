package org.walrusjava.viz;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;

/**
 * The 256 colours every GIF frame is reduced to: samples of both colour maps, a grey ramp for text on white, and
 * the not-finite magenta. Panels are drawn from exactly these ingredients, so a fixed palette shows them faithfully,
 * and mapping through a precomputed table is far faster than building a palette per frame.
 */
final class GifPalette {
    private static final int BITS = 6;
    private static final IndexColorModel MODEL = build();
    private static final byte[] NEAREST = nearestTable();

    private GifPalette() {}

    /** The frame as an indexed image over the fixed palette. */
    static BufferedImage indexed(BufferedImage frame) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, MODEL);
        byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int[] row = new int[w];
        int drop = 8 - BITS;
        for (int y = 0; y < h; y++) {
            frame.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int key = (((p >> 16) & 0xFF) >> drop) << (2 * BITS) | (((p >> 8) & 0xFF) >> drop) << BITS | ((p & 0xFF) >> drop);
                target[y * w + x] = NEAREST[key];
            }
        }
        return out;
    }

    private static IndexColorModel build() {
        int[] colours = new int[256];
        int n = 0;
        for (int i = 0; i < 120; i++) colours[n++] = ColorMap.viridis().rgb(i / 119.0);
        for (int i = 0; i < 100; i++) colours[n++] = ColorMap.coolwarm().rgb(i / 99.0);
        for (int i = 0; i < 35; i++) colours[n++] = (int) Math.round(i * 255 / 34.0) * 0x010101;
        colours[n++] = ColorMap.NOT_FINITE;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        return new IndexColorModel(8, n, r, g, b);
    }

    /** For every colour at BITS bits per channel, the index of the nearest palette colour. */
    private static byte[] nearestTable() {
        int levels = 1 << BITS;
        int size = MODEL.getMapSize();
        int[] pr = new int[size];
        int[] pg = new int[size];
        int[] pb = new int[size];
        for (int i = 0; i < size; i++) {
            pr[i] = MODEL.getRed(i);
            pg[i] = MODEL.getGreen(i);
            pb[i] = MODEL.getBlue(i);
        }
        byte[] table = new byte[levels * levels * levels];
        int scale = 256 / levels;
        for (int key = 0; key < table.length; key++) {
            int r = (key >> (2 * BITS)) * scale + scale / 2;
            int g = ((key >> BITS) & (levels - 1)) * scale + scale / 2;
            int b = (key & (levels - 1)) * scale + scale / 2;
            int best = 0;
            int bestDistance = Integer.MAX_VALUE;
            for (int i = 0; i < size; i++) {
                int dr = r - pr[i];
                int dg = g - pg[i];
                int db = b - pb[i];
                int d = dr * dr + dg * dg + db * db;
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
            table[key] = (byte) best;
        }
        return table;
    }
}
