package org.walrusjava.data;

import org.walrusjava.BoundaryCondition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embeds 1-D and 2-D Cartesian data in 3-D (spec §4.2), so one model handles both: the grid gets trailing singleton
 * axes, the new axes are PERIODIC on both faces (a singleton axis wraps onto itself), vector fields gain zero
 * components and rank-2 tensors zero rows and columns, and every field's channels are renamed over x, y, z.
 * Components that involve a singleton padded axis are not physical: {@link #paddedFieldMask} marks them false so
 * the model's outputs there are zeroed and losses and metrics skip them.
 */
public final class Inflation {
    public static final int DIMS = 3;
    private static final String AXES = "xyz";

    private Inflation() {}

    /** The 3-D layout of a stored layout: each rank-r field gets 3^r channels named {@code field_<xyz...>}. */
    public static ChannelLayout layout(ChannelLayout stored) {
        List<String> names = new ArrayList<>();
        List<TensorChannels> groups = new ArrayList<>();
        for (TensorChannels g : stored.fields()) {
            TensorChannels inflated = new TensorChannels(g.field(), g.rank(), names.size(), DIMS);
            groups.add(inflated);
            for (int c = 0; c < inflated.count(); c++) {
                StringBuilder name = new StringBuilder(g.field());
                if (g.rank() > 0) name.append('_');
                for (int i : inflated.indices(c)) name.append(AXES.charAt(i));
                names.add(name.toString());
            }
        }
        return new ChannelLayout(names, groups);
    }

    /** For each 3-D channel the stored channel it copies, or -1 for a zero (padded) component. */
    public static int[] sourceChannels(ChannelLayout stored) {
        ChannelLayout inflated = layout(stored);
        int[] source = new int[inflated.size()];
        for (int g = 0; g < stored.fields().size(); g++) {
            TensorChannels from = stored.fields().get(g);
            TensorChannels to = inflated.fields().get(g);
            for (int c = 0; c < to.count(); c++) {
                int[] idx = to.indices(c);
                boolean real = Arrays.stream(idx).allMatch(i -> i < from.componentDims());
                source[to.firstChannel() + c] = real ? from.firstChannel() + from.component(idx) : -1;
            }
        }
        return source;
    }

    /** Gathers channels of a channels-last array: out[p, c] = in[p, source[c]], or 0 where source[c] is -1. */
    public static float[] gather(float[] data, int inChannels, int[] source) {
        int points = data.length / inChannels;
        float[] out = new float[points * source.length];
        for (int p = 0; p < points; p++) {
            int in = p * inChannels;
            int o = p * source.length;
            for (int c = 0; c < source.length; c++) if (source[c] >= 0) out[o + c] = data[in + source[c]];
        }
        return out;
    }

    /** The grid with trailing singleton axes. */
    public static int[] resolution(int[] stored) {
        int[] out = new int[DIMS];
        Arrays.fill(out, 1);
        System.arraycopy(stored, 0, out, 0, stored.length);
        return out;
    }

    /** The boundary table with PERIODIC on both faces of every padded axis. */
    public static int[][] boundaryConditions(int[][] stored) {
        int[][] out = new int[DIMS][];
        for (int a = 0; a < DIMS; a++) {
            int periodic = BoundaryCondition.PERIODIC.code();
            out[a] = a < stored.length ? stored[a].clone() : new int[] {periodic, periodic};
        }
        return out;
    }

    /**
     * True for channels that carry data, false for components with a tensor index on a singleton axis of the
     * (possibly rotated) inflated grid. Scalars are always true.
     */
    public static boolean[] paddedFieldMask(ChannelLayout layout, int[] spatialShape) {
        boolean[] mask = new boolean[layout.size()];
        for (TensorChannels g : layout.fields()) {
            for (int c = 0; c < g.count(); c++) {
                mask[g.firstChannel() + c] = Arrays.stream(g.indices(c)).allMatch(i -> spatialShape[i] > 1);
            }
        }
        return mask;
    }
}
