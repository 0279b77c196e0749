package org.walrusjava.viz;

import java.util.Locale;

/** Numbers as people read them in labels and tables. */
public final class Format {
    private Format() {}

    /** Four significant digits; "nan" / "inf" for values that are not finite. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        return String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
