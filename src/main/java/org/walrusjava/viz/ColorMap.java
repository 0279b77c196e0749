package org.walrusjava.viz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A colour map tabulated at evenly spaced control points and interpolated linearly between them. Both maps are
 * perceptually uniform: equal steps in value look like equal steps in colour, so the picture does not invent
 * structure. Values that are not finite get {@link #NOT_FINITE}, a magenta that neither map contains.
 */
public final class ColorMap {
    public static final int NOT_FINITE = 0xFF00FF;

    private static final ColorMap VIRIDIS = load("viridis");
    private static final ColorMap COOLWARM = load("coolwarm");

    private final float[][] points; // [i] = {r, g, b} in [0, 1]

    private ColorMap(float[][] points) {
        this.points = points;
    }

    /** For field values: dark blue-purple (low) through green to yellow (high). */
    public static ColorMap viridis() {
        return VIRIDIS;
    }

    /** For signed errors: blue (negative), neutral grey (zero), red (positive); Moreland's cool-warm. */
    public static ColorMap coolwarm() {
        return COOLWARM;
    }

    /** Number of tabulated control points. */
    public int size() {
        return points.length;
    }

    /** The control point i as 0xRRGGBB. */
    public int controlPoint(int i) {
        return pack(points[i][0], points[i][1], points[i][2]);
    }

    /** The colour at position t in [0, 1] (clamped) as 0xRRGGBB. */
    public int rgb(double t) {
        if (!Double.isFinite(t)) return NOT_FINITE;
        double x = Math.min(1, Math.max(0, t)) * (points.length - 1);
        int i = Math.min((int) x, points.length - 2);
        double f = x - i;
        float[] a = points[i];
        float[] b = points[i + 1];
        return pack(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]));
    }

    /** The colour of a value shown on the given range. */
    public int rgb(double value, ValueRange range) {
        return Double.isFinite(value) ? rgb(range.fraction(value)) : NOT_FINITE;
    }

    private static int pack(double r, double g, double b) {
        return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.min(1, Math.max(0, v)) * 255);
    }

    /** Reads the table resource NAME.txt: '#' comment lines, then one "r g b" line per control point. */
    private static ColorMap load(String name) {
        String resource = name + ".txt";
        try (InputStream in = ColorMap.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("colour map table " + resource + " missing from the jar");
            List<float[]> rows = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] parts = line.split("\\s+");
                rows.add(new float[] {Float.parseFloat(parts[0]), Float.parseFloat(parts[1]), Float.parseFloat(parts[2])});
            }
            return new ColorMap(rows.toArray(float[][]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
