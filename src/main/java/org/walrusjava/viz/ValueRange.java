package org.walrusjava.viz;

/** The values a colour bar spans, min to max; values outside are shown in the end colours. */
public record ValueRange(double min, double max) {
    public ValueRange {
        if (!(min <= max)) throw new IllegalArgumentException("colour range " + min + " .. " + max);
    }

    /** The range of the finite values of all arrays; [0, 1] when there are none. */
    public static ValueRange of(float[]... arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float[] a : arrays) {
            for (float v : a) {
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo <= hi ? new ValueRange(lo, hi) : new ValueRange(0, 1);
    }

    /** [-m, m] with m the largest finite |value|, so zero sits at the middle of a diverging map. */
    public static ValueRange symmetric(float[]... arrays) {
        ValueRange r = of(arrays);
        double m = Math.max(Math.abs(r.min), Math.abs(r.max));
        return new ValueRange(-m, m);
    }

    /** Where value sits in the range, clamped to [0, 1]; the middle for a range of one value. */
    public double fraction(double value) {
        if (max <= min) return 0.5;
        return Math.min(1, Math.max(0, (value - min) / (max - min)));
    }
}
