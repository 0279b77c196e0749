package org.walrusjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColorMapTest {
    @Test
    void viridisIsMatplotlibsTable() {
        ColorMap v = ColorMap.viridis();
        assertEquals(256, v.size());
        assertEquals(0x440154, v.rgb(0)); // (0.267004, 0.004874, 0.329415)
        assertEquals(0xFDE725, v.rgb(1)); // (0.993248, 0.906157, 0.143936)
        assertEquals(0x21918C, v.controlPoint(128)); // (0.127568, 0.566949, 0.550556)
        assertEquals(0x440154, v.rgb(-3), "below the range: the end colour");
    }

    @Test
    void betweenControlPointsColoursAreInterpolated() {
        ColorMap v = ColorMap.viridis();
        // t = 0.5 sits halfway between points 127 and 128.
        int a = v.controlPoint(127);
        int b = v.controlPoint(128);
        int mid = v.rgb(0.5);
        for (int shift : new int[] {16, 8, 0}) {
            int ca = (a >> shift) & 0xFF;
            int cb = (b >> shift) & 0xFF;
            assertEquals((ca + cb) / 2.0, (mid >> shift) & 0xFF, 1.0);
        }
    }

    @Test
    void coolwarmIsCentredOnNeutralGrey() {
        ColorMap c = ColorMap.coolwarm();
        assertEquals(33, c.size());
        assertEquals(0x3B4CC0, c.rgb(0));
        assertEquals(0xDDDDDD, c.rgb(0.5));
        assertEquals(0xB40426, c.rgb(1));
        ValueRange symmetric = ValueRange.symmetric(new float[] {-2, 0.5f, 1});
        assertEquals(-2, symmetric.min());
        assertEquals(2, symmetric.max());
        assertEquals(0xDDDDDD, c.rgb(0, symmetric));
    }

    @Test
    void valuesThatAreNotFiniteAreMagenta() {
        assertEquals(ColorMap.NOT_FINITE, ColorMap.viridis().rgb(Double.NaN));
        assertEquals(ColorMap.NOT_FINITE, ColorMap.coolwarm().rgb(Float.POSITIVE_INFINITY, new ValueRange(0, 1)));
    }

    @Test
    void rangesIgnoreNonFiniteValuesAndSurviveConstants() {
        ValueRange r = ValueRange.of(new float[] {3, Float.NaN, -1, Float.POSITIVE_INFINITY});
        assertEquals(-1, r.min());
        assertEquals(3, r.max());
        assertEquals(0.5, new ValueRange(2, 2).fraction(2));
        assertEquals(new ValueRange(0, 1), ValueRange.of(new float[] {Float.NaN}));
    }
}
