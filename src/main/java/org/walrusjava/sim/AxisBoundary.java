package org.walrusjava.sim;

/** The boundary conditions at the lower and upper end of one spatial axis. */
public record AxisBoundary(BoundaryType lower, BoundaryType upper) {
    public AxisBoundary {
        if ((lower == BoundaryType.PERIODIC) != (upper == BoundaryType.PERIODIC))
            throw new IllegalArgumentException("a periodic axis is periodic at both ends: " + lower + "/" + upper);
    }

    public static AxisBoundary periodic() {
        return new AxisBoundary(BoundaryType.PERIODIC, BoundaryType.PERIODIC);
    }

    public static AxisBoundary walls() {
        return new AxisBoundary(BoundaryType.WALL, BoundaryType.WALL);
    }

    public static AxisBoundary open() {
        return new AxisBoundary(BoundaryType.OPEN, BoundaryType.OPEN);
    }

    public boolean isPeriodic() {
        return lower == BoundaryType.PERIODIC;
    }
}
