package org.walrusjava.data;

import java.util.List;

/**
 * One group under `boundary_conditions/`, as stored.
 *
 * @param mask row-major over {@code maskShape}; its trailing axes are the {@code associatedDims}, in that order
 * @param valuesShape shape of the `values` dataset, or null where the file has none (the_well's dummy generator)
 */
public record BoundaryGroup(
        String name,
        String bcType,
        List<String> associatedDims,
        List<String> associatedFields,
        boolean sampleVarying,
        boolean timeVarying,
        boolean[] mask,
        int[] maskShape,
        int[] valuesShape) {

    public int maskTrueCount() {
        int n = 0;
        for (boolean b : mask) if (b) n++;
        return n;
    }
}
