package org.walrusjava.data;

import org.walrusjava.BoundaryCondition;

import java.util.Comparator;
import java.util.List;

/**
 * Reduces the boundary groups of a file to one (lower, upper) code pair per spatial axis, the way The Well's
 * loader does (`_padding_bcs`): every face starts OPEN; groups are visited in name order, a later group
 * overriding an earlier one; for each associated axis the mask slices at index 0 and -1 of that axis decide the
 * lower and upper face. A WALL face needs the whole slice True, OPEN and PERIODIC faces any entry True. So an
 * interior obstacle mask only reaches the faces it fully covers (WALL) or touches (others).
 */
public final class BoundaryConditionTable {
    private BoundaryConditionTable() {}

    /** @return codes[axis][0 = lower, 1 = upper] in {@code spatialDims} order */
    public static int[][] reduce(List<BoundaryGroup> groups, List<String> spatialDims) {
        int[][] table = new int[spatialDims.size()][2];
        for (int[] faces : table) java.util.Arrays.fill(faces, BoundaryCondition.OPEN.code());
        List<BoundaryGroup> ordered = groups.stream().sorted(Comparator.comparing(BoundaryGroup::name)).toList();
        for (BoundaryGroup group : ordered) {
            BoundaryCondition type = BoundaryCondition.parse(group.bcType());
            boolean needsAll = type == BoundaryCondition.WALL;
            int leading = group.maskShape().length - group.associatedDims().size();
            if (leading < 0) {
                throw new IllegalArgumentException("boundary group '" + group.name() + "': mask shape "
                        + java.util.Arrays.toString(group.maskShape()) + " has fewer axes than associated_dims "
                        + group.associatedDims());
            }
            for (int k = 0; k < group.associatedDims().size(); k++) {
                String dim = group.associatedDims().get(k);
                int axis = spatialDims.indexOf(dim);
                if (axis < 0) {
                    throw new IllegalArgumentException("boundary group '" + group.name() + "' names axis '" + dim
                            + "', which is not among spatial_dims " + spatialDims);
                }
                int maskAxis = leading + k;
                int last = group.maskShape()[maskAxis] - 1;
                if (faceSet(group, maskAxis, 0, needsAll)) table[axis][0] = type.code();
                if (faceSet(group, maskAxis, last, needsAll)) table[axis][1] = type.code();
            }
        }
        return table;
    }

    /** Whether the mask slice {@code index} along {@code maskAxis} is all True (WALL) or has any True (others). */
    private static boolean faceSet(BoundaryGroup group, int maskAxis, int index, boolean needsAll) {
        int[] shape = group.maskShape();
        int inner = 1;
        for (int a = maskAxis + 1; a < shape.length; a++) inner *= shape[a];
        int outer = group.mask().length / (inner * shape[maskAxis]);
        boolean any = false;
        boolean all = true;
        for (int o = 0; o < outer; o++) {
            int base = (o * shape[maskAxis] + index) * inner;
            for (int i = 0; i < inner; i++) {
                boolean m = group.mask()[base + i];
                any |= m;
                all &= m;
            }
        }
        return needsAll ? all : any;
    }
}
