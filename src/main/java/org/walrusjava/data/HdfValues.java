package org.walrusjava.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Turns what jhdf hands back for attributes and small datasets into plain Java values. The Well files come from
 * several writers: h5py booleans arrive as enum strings "TRUE"/"FALSE", jhdf-written ones as Boolean/boolean[]
 * (bitfields), others as integers; h5py's empty lists arrive as empty float64 arrays (null data); a list of one
 * string may be a plain string.
 */
final class HdfValues {
    private HdfValues() {}

    static boolean bool(Object value) {
        boolean[] all = bools(value);
        if (all.length != 1) throw new IllegalArgumentException("expected one boolean, got " + all.length);
        return all[0];
    }

    /** Every boolean in a (possibly nested) array, row-major. */
    static boolean[] bools(Object value) {
        List<Boolean> out = new ArrayList<>();
        collectBools(value, out);
        boolean[] result = new boolean[out.size()];
        for (int i = 0; i < result.length; i++) result[i] = out.get(i);
        return result;
    }

    private static void collectBools(Object value, List<Boolean> out) {
        switch (value) {
            case null -> { }
            case Boolean b -> out.add(b);
            case String s -> out.add(parseBool(s));
            case Number n -> out.add(n.doubleValue() != 0);
            case BitSet bits -> { for (int i = 0; i < bits.length(); i++) out.add(bits.get(i)); }
            default -> {
                if (!value.getClass().isArray()) throw new IllegalArgumentException("not a boolean: " + value);
                for (int i = 0, n = Array.getLength(value); i < n; i++) collectBools(Array.get(value, i), out);
            }
        }
    }

    private static boolean parseBool(String s) {
        return switch (s.trim().toUpperCase()) {
            case "TRUE", "1" -> true;
            case "FALSE", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean: '" + s + "'");
        };
    }

    /** A list of strings: a string array, a single string, or an empty list (which h5py stores as empty floats). */
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        collectStrings(value, out);
        return out;
    }

    private static void collectStrings(Object value, List<String> out) {
        switch (value) {
            case null -> { }
            case String s -> out.add(s);
            default -> {
                if (!value.getClass().isArray()) throw new IllegalArgumentException("not a string list: " + value);
                for (int i = 0, n = Array.getLength(value); i < n; i++) collectStrings(Array.get(value, i), out);
            }
        }
    }

    static String string(Object value) {
        List<String> all = strings(value);
        if (all.size() != 1) throw new IllegalArgumentException("expected one string, got " + all);
        return all.getFirst();
    }

    static long integer(Object value) {
        double[] all = doubles(value);
        if (all.length != 1 || all[0] != Math.rint(all[0])) {
            throw new IllegalArgumentException("expected one integer, got " + java.util.Arrays.toString(all));
        }
        return (long) all[0];
    }

    /** Every number in a (possibly nested) array, row-major, as doubles. */
    static double[] doubles(Object value) {
        List<Double> out = new ArrayList<>();
        collectDoubles(value, out);
        double[] result = new double[out.size()];
        for (int i = 0; i < result.length; i++) result[i] = out.get(i);
        return result;
    }

    private static void collectDoubles(Object value, List<Double> out) {
        switch (value) {
            case null -> { }
            case Number n -> out.add(n.doubleValue());
            case Boolean b -> out.add(b ? 1.0 : 0.0);
            default -> {
                if (!value.getClass().isArray()) throw new IllegalArgumentException("not a number: " + value);
                for (int i = 0, n = Array.getLength(value); i < n; i++) collectDoubles(Array.get(value, i), out);
            }
        }
    }

    /**
     * Copies a (possibly nested) float or double array, row-major, into {@code dst} from {@code offset}; returns the
     * offset after the last value written. Innermost rows are copied in bulk: this is the hot path of every read.
     */
    static int flattenInto(Object value, float[] dst, int offset) {
        switch (value) {
            case float[] row -> {
                System.arraycopy(row, 0, dst, offset, row.length);
                return offset + row.length;
            }
            case double[] row -> {
                for (double v : row) dst[offset++] = (float) v;
                return offset;
            }
            case Object[] rows -> {
                for (Object row : rows) offset = flattenInto(row, dst, offset);
                return offset;
            }
            case Number n -> {
                dst[offset] = n.floatValue();
                return offset + 1;
            }
            default -> throw new IllegalArgumentException("not floating-point data: " + value.getClass().getSimpleName());
        }
    }
}
