package org.walrusjava.sim;

import java.util.ArrayList;
import java.util.List;
import org.walrusjava.UserError;

/**
 * Grid sizes the Walrus encoder accepts (spec 1.1): per axis, n divisible by the token target (32 in 2-D, 16 in
 * 3-D) with n / target in the stride table {1, 4, 8, 12, 16, 24, 32}. So 2-D: 32, 128, 256, 384, 512, 768, 1024;
 * 3-D: 16, 64, 128, 192, 256, 384, 512.
 */
public final class GridSizes {
    private static final int[] TABLE_QUOTIENTS = {1, 4, 8, 12, 16, 24, 32};

    private GridSizes() {}

    public static List<Integer> allowed(int nSpatialDims) {
        int target = nSpatialDims <= 2 ? 32 : 16;
        List<Integer> sizes = new ArrayList<>();
        for (int q : TABLE_QUOTIENTS) sizes.add(q * target);
        return sizes;
    }

    /** Throws a one-line UserError naming the allowed sizes when {@code n} is not one of them. */
    public static void require(String system, int nSpatialDims, int n) {
        List<Integer> allowed = allowed(nSpatialDims);
        if (!allowed.contains(n))
            throw new UserError(system + ": resolution " + n + " is not accepted by the Walrus stride table for "
                    + nSpatialDims + "-D data; use one of " + allowed);
    }
}
