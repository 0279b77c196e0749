package org.walrusjava;

import java.util.Locale;

/**
 * Boundary types of The Well, with the codes its loader and Walrus use in the per-axis (lower, upper) table.
 * WALL reflects (no flux through the face), OPEN lets waves and material leave, PERIODIC wraps around.
 */
public enum BoundaryCondition {
    WALL(0),
    OPEN(1),
    PERIODIC(2);

    private final int code;

    BoundaryCondition(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BoundaryCondition ofCode(int code) {
        for (BoundaryCondition bc : values()) if (bc.code == code) return bc;
        throw new IllegalArgumentException("no boundary condition with code " + code);
    }

    /** Whether an axis of a (3, 2) code table is periodic: the reference checks the low end only. */
    public static boolean periodic(int[][] bcs, int axis) {
        return bcs[axis][0] == PERIODIC.code;
    }

    /** Parses a `bc_type` attribute, which files spell in any case ("periodic", "PERIODIC"). */
    public static BoundaryCondition parse(String bcType) {
        try {
            return valueOf(bcType.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown bc_type '" + bcType + "' (expected WALL, OPEN or PERIODIC)");
        }
    }
}
