package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InflationTest {
    /** 2-D density, velocity (2) and D (2x2) -> 3-D: zero components appended, rows and columns of D padded. */
    private static final ChannelLayout STORED = new ChannelLayout(
            List.of("rho", "u_x", "u_y", "D_xx", "D_xy", "D_yx", "D_yy"),
            List.of(new TensorChannels("rho", 0, 0, 2), new TensorChannels("u", 1, 1, 2),
                    new TensorChannels("D", 2, 3, 2)));

    @Test
    void channelsNamesAndSources() {
        ChannelLayout inflated = Inflation.layout(STORED);
        assertEquals(List.of("rho", "u_x", "u_y", "u_z", "D_xx", "D_xy", "D_xz", "D_yx", "D_yy", "D_yz", "D_zx",
                "D_zy", "D_zz"), inflated.names());
        assertArrayEquals(new int[] {0, 1, 2, -1, 3, 4, -1, 5, 6, -1, -1, -1, -1}, Inflation.sourceChannels(STORED));
        assertArrayEquals(new boolean[] {true, true, true, false, true, true, false, true, true, false, false, false,
                false}, Inflation.paddedFieldMask(inflated, new int[] {8, 4, 1}));
        assertArrayEquals(new boolean[] {true, true, false, true, true, false, true, false, false, false, true, false,
                true}, Inflation.paddedFieldMask(inflated, new int[] {8, 1, 4}), "after a rotation into xz");
    }

    @Test
    void valuesGridAndBoundaries() {
        float[] two = {1, 2, 3, 4, 5, 6, 7, 10, 20, 30, 40, 50, 60, 70};
        float[] three = Inflation.gather(two, 7, Inflation.sourceChannels(STORED));
        assertArrayEquals(new float[] {1, 2, 3, 0, 4, 5, 0, 6, 7, 0, 0, 0, 0,
            10, 20, 30, 0, 40, 50, 0, 60, 70, 0, 0, 0, 0}, three);
        assertArrayEquals(new int[] {128, 32, 1}, Inflation.resolution(new int[] {128, 32}));
        assertArrayEquals(new int[][] {{2, 2}, {0, 0}, {2, 2}}, Inflation.boundaryConditions(new int[][] {{2, 2}, {0, 0}}));
        assertArrayEquals(new int[][] {{1, 0}, {2, 2}, {2, 2}}, Inflation.boundaryConditions(new int[][] {{1, 0}}));
    }
}
