package org.walrusjava.sim;

/** What happens at one end of a spatial axis, with The Well's integer codes (WALL 0, OPEN 1, PERIODIC 2). */
public enum BoundaryType {
    /** Reflecting: no flux through the face. */
    WALL,
    /** Waves and material leave the domain without reflecting. */
    OPEN,
    PERIODIC;

    public int wellCode() {
        return ordinal();
    }
}
