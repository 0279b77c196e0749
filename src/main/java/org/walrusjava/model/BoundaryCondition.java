package org.walrusjava.model;

/** The Well's boundary-condition codes, as the model's BC table (B, 3, 2) carries them. */
public enum BoundaryCondition {
    WALL, OPEN, PERIODIC;

    public int code() {
        return ordinal();
    }

    public static BoundaryCondition of(int code) {
        if (code < 0 || code > 2) throw new IllegalArgumentException("boundary code " + code + " (WALL=0, OPEN=1, PERIODIC=2)");
        return values()[code];
    }

    /** An axis is periodic when its low end is (the reference checks bcs[axis][0] only). */
    public static boolean periodic(int[][] bcs, int axis) {
        return bcs[axis][0] == PERIODIC.code();
    }
}
