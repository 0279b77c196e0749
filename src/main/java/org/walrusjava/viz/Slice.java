package org.walrusjava.viz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A 2-D picture of a field: width cells along the horizontal (first) axis, height along the vertical (second)
 * axis, values[i * height + j] at horizontal index i and vertical index j. Fields are row-major arrays on a grid of
 * 1 to 3 axes (x, y, z, last fastest); axes of length 1 are dropped, a 3-D field is shown by its three mid-planes.
 *
 * @param plane what the slice shows, e.g. "" for a 2-D field or "x-y at z=32"
 */
public record Slice(String plane, int width, int height, float[] values) {
    private static final String[] AXES = {"x", "y", "z"};

    public Slice {
        if (values.length != width * height) throw new IllegalArgumentException("slice values do not fill " + width + "x" + height);
    }

    public float value(int i, int j) {
        return values[i * height + j];
    }

    /** The slices that show a field: itself for 1-D and 2-D grids, the three mid-planes for 3-D. */
    public static List<Slice> midPlanes(float[] field, int[] shape) {
        int total = 1;
        for (int n : shape) total *= n;
        if (field.length != total) {
            throw new IllegalArgumentException("field of " + field.length + " values on grid " + Arrays.toString(shape));
        }
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < shape.length; a++) if (shape[a] > 1) axes.add(a);
        int[] strides = new int[shape.length];
        int s = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            strides[a] = s;
            s *= shape[a];
        }
        return switch (axes.size()) {
            case 0 -> List.of(new Slice("", 1, 1, field.clone()));
            case 1 -> List.of(new Slice("", shape[axes.get(0)], 1, field.clone()));
            case 2 -> List.of(plane(field, shape, strides, axes.get(0), axes.get(1), -1));
            default -> List.of(plane(field, shape, strides, 0, 1, 2), plane(field, shape, strides, 0, 2, 1),
                    plane(field, shape, strides, 1, 2, 0));
        };
    }

    /** The plane spanned by axes h (horizontal) and v (vertical) through the middle of axis `through` (-1: none). */
    private static Slice plane(float[] field, int[] shape, int[] strides, int h, int v, int through) {
        int offset = through < 0 ? 0 : (shape[through] / 2) * strides[through];
        float[] out = new float[shape[h] * shape[v]];
        for (int i = 0; i < shape[h]; i++) {
            for (int j = 0; j < shape[v]; j++) out[i * shape[v] + j] = field[offset + i * strides[h] + j * strides[v]];
        }
        String label = through < 0 ? "" : AXES[h] + "-" + AXES[v] + " at " + AXES[through] + "=" + shape[through] / 2;
        return new Slice(label, shape[h], shape[v], out);
    }

    /** This slice with no side longer than maxSide, by taking every k-th cell (nearest neighbour). */
    public Slice downsampled(int maxSide) {
        int longest = Math.max(width, height);
        if (longest <= maxSide) return this;
        int w = Math.max(1, (int) ((long) width * maxSide / longest));
        int h = Math.max(1, (int) ((long) height * maxSide / longest));
        float[] out = new float[w * h];
        for (int i = 0; i < w; i++) {
            int si = (int) ((long) i * width / w);
            for (int j = 0; j < h; j++) out[i * h + j] = value(si, (int) ((long) j * height / h));
        }
        return new Slice(plane, w, h, out);
    }

    /** Cell-wise this minus other (both the same size). */
    public Slice minus(Slice other) {
        if (other.width != width || other.height != height) throw new IllegalArgumentException("slices differ in size");
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) out[i] = values[i] - other.values[i];
        return new Slice(plane, width, height, out);
    }
}
