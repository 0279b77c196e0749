package org.walrusjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTest {
    /** value = 100 x + 10 y + z on a row-major (x, y, z) grid. */
    private static float[] coordinates(int nx, int ny, int nz) {
        float[] f = new float[nx * ny * nz];
        for (int x = 0; x < nx; x++) {
            for (int y = 0; y < ny; y++) {
                for (int z = 0; z < nz; z++) f[(x * ny + y) * nz + z] = 100 * x + 10 * y + z;
            }
        }
        return f;
    }

    @Test
    void threeDimensionalFieldsShowTheirThreeMidPlanes() {
        List<Slice> s = Slice.midPlanes(coordinates(4, 6, 8), new int[] {4, 6, 8});
        assertEquals(3, s.size());
        Slice xy = s.get(0);
        assertEquals("x-y at z=4", xy.plane());
        assertEquals(4, xy.width());
        assertEquals(6, xy.height());
        assertEquals(100 * 3 + 10 * 5 + 4, xy.value(3, 5));
        Slice xz = s.get(1);
        assertEquals("x-z at y=3", xz.plane());
        assertEquals(100 * 2 + 30 + 7, xz.value(2, 7));
        Slice yz = s.get(2);
        assertEquals("y-z at x=2", yz.plane());
        assertEquals(200 + 10 * 5 + 1, yz.value(5, 1));
    }

    @Test
    void twoDimensionalDataCarriedAsThreeDimensionalIsOnePicture() {
        List<Slice> s = Slice.midPlanes(coordinates(4, 6, 1), new int[] {4, 6, 1});
        assertEquals(1, s.size());
        assertEquals("", s.get(0).plane());
        assertEquals(4, s.get(0).width());
        assertEquals(6, s.get(0).height());
        assertEquals(100 * 3 + 10 * 2, s.get(0).value(3, 2));
    }

    @Test
    void downsamplingTakesEveryKthCell() {
        Slice big = Slice.midPlanes(coordinates(8, 4, 1), new int[] {8, 4, 1}).get(0);
        Slice small = big.downsampled(4);
        assertEquals(4, small.width());
        assertEquals(2, small.height());
        assertEquals(big.value(6, 2), small.value(3, 1));
        assertEquals(big, big.downsampled(8));
    }
}
