package org.walrusjava.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.walrusjava.UserError;

/**
 * Compute-adaptive patching (spec §1.1): the strides of the encoder's two convolutions per axis, chosen from the
 * grid size so that every axis yields about 32 tokens in 2-D and 16 in 3-D. The released table covers
 * n / p in {0, 1, 4, 8, 12, 16, 24, 32}; the extended table adds 2 -> (2,1) and 3 -> (3,1), which the released
 * weights never saw but which lets users run 64-point 2-D and 32-point 3-D grids.
 */
public final class StrideTable {
    private static final Map<Integer, int[]> RELEASED = new TreeMap<>(Map.of(
            0, new int[] {1, 1}, 1, new int[] {1, 1}, 4, new int[] {2, 2}, 8, new int[] {4, 2},
            12, new int[] {6, 2}, 16, new int[] {4, 4}, 24, new int[] {6, 4}, 32, new int[] {8, 4}));
    private static final Map<Integer, int[]> EXTENDED;

    static {
        EXTENDED = new TreeMap<>(RELEASED);
        EXTENDED.put(2, new int[] {2, 1});
        EXTENDED.put(3, new int[] {3, 1});
    }

    private final Map<Integer, int[]> table;

    private StrideTable(Map<Integer, int[]> table) {
        this.table = table;
    }

    public static StrideTable released() {
        return new StrideTable(RELEASED);
    }

    public static StrideTable extended() {
        return new StrideTable(EXTENDED);
    }

    /** Tokens-per-axis target: 32 when at most two axes are real, else 16. */
    public static int tokenTarget(long[] shape) {
        int real = 0;
        for (long n : shape) if (n != 1) real++;
        return real <= 2 ? 32 : 16;
    }

    /** Per axis (conv-1 stride, conv-2 stride) for a 3-D grid shape; singleton axes get (1, 1). */
    public int[][] strides(long[] shape) {
        int p = tokenTarget(shape);
        int[][] out = new int[shape.length][];
        for (int i = 0; i < shape.length; i++) {
            long n = shape[i];
            if (n == 1) {
                out[i] = new int[] {1, 1};
                continue;
            }
            int[] s = n % p == 0 ? table.get((int) (n / p)) : null;
            if (s == null) throw new UserError(unsupported(n, p, shape.length, shape));
            out[i] = s.clone();
        }
        return out;
    }

    private String unsupported(long n, int p, int dims, long[] shape) {
        List<Long> near = new ArrayList<>();
        long below = -1, above = -1;
        for (int q : table.keySet()) {
            long size = (long) q * p;
            if (size == 0) continue;
            if (size < n) below = size;
            else if (above < 0) above = size;
        }
        if (below > 0) near.add(below);
        if (above > 0) near.add(above);
        String hint = table == EXTENDED ? "" : " (or enable the extended stride table, --extended-strides, "
                + "which adds " + 2 * p + " and " + 3 * p + ")";
        return "grid axis of " + n + " points in shape " + java.util.Arrays.toString(shape)
                + " is not covered by the stride table for " + (p == 32 ? "2-D" : "3-D") + " data; nearest supported sizes: "
                + near + hint;
    }
}
