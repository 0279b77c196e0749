package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;

class ShardingTest {
    @Test
    void upstreamNamesChooseTheMode() {
        assertEquals(DataParallel.Mode.REPLICATED, DataParallel.Mode.parse("ddp"));
        assertEquals(DataParallel.Mode.REPLICATED, DataParallel.Mode.parse("local"));
        assertEquals(DataParallel.Mode.SHARDED, DataParallel.Mode.parse("fsdp"));
        assertEquals(DataParallel.Mode.SHARDED, DataParallel.Mode.parse(" HSDP"));
        assertEquals("distribution type 'zero' is not one of local, ddp, fsdp, hsdp",
                assertThrows(UserError.class, () -> DataParallel.Mode.parse("zero")).getMessage());
    }

    @Test
    void parametersAreDealtLargestFirstToTheLeastLoadedRank() {
        // 100 -> rank 0; 60 -> 1; 50 -> 1 (60 < 100); 40 -> 0 (100 < 110); 10 -> 1 (110 < 140)
        assertArrayEquals(new int[] {1, 0, 1, 0, 1}, DataParallel.deal(new long[] {10, 100, 50, 40, 60}, 2));
        assertArrayEquals(new int[] {0, 0}, DataParallel.deal(new long[] {3, 3}, 1));
    }

    @Test
    void aSingleProcessOwnsEverything() {
        assertNull(DataParallel.single().mode(DataParallel.Mode.SHARDED).owners(new long[] {5, 3}));
        assertNull(DataParallel.join(Rendezvous.single(), Map.of()).owners(new long[] {5}));
    }
}
