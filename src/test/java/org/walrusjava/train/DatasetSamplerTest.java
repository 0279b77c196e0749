package org.walrusjava.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetSamplerTest {
    @Test
    void datasetsAreDrawnUniformlyWhateverTheirSize() {
        DatasetSampler s = new DatasetSampler(new long[] {3, 1000}, 9);
        Random rng = new Random(1);
        int small = 0;
        for (int i = 0; i < 4000; i++) if (s.next(rng, new int[] {1, 2}).dataset() == 0) small++;
        assertEquals(2000, small, 120, "about half the draws from the 3-window dataset");
    }

    @Test
    void eachCycleVisitsEveryWindowOnceAndBatchesHaveTheirDatasetsSize() {
        DatasetSampler s = new DatasetSampler(new long[] {5}, 4);
        Random rng = new Random(2);
        Set<Long> cycle = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            long[] idx = s.next(rng, new int[] {1}).indices();
            assertEquals(1, idx.length);
            cycle.add(idx[0]);
        }
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), cycle);
        assertEquals(3, s.next(rng, new int[] {3}).indices().length, "an exhausted order starts a fresh shuffle");
        assertEquals(1, s.state().cycles()[0]);
    }

    @Test
    void restoredStateDrawsTheSameWindows() {
        DatasetSampler a = new DatasetSampler(new long[] {7, 11}, 5);
        for (int i = 0; i < 9; i++) a.next(new Random(i), new int[] {2, 3});
        DatasetSampler b = new DatasetSampler(new long[] {7, 11}, 5);
        b.restore(a.state());
        for (int i = 9; i < 30; i++)
            assertArrayEquals(a.next(new Random(i), new int[] {2, 3}).indices(), b.next(new Random(i), new int[] {2, 3}).indices());
    }

    @Test
    void samplingWeightsSetEachDatasetsShareOfTheDraws() {
        DatasetSampler s = new DatasetSampler(new long[] {50, 50, 50}, new double[] {1, 1, 0.5}, 3);
        Random rng = new Random(4);
        int[] counts = new int[3];
        for (int i = 0; i < 5000; i++) counts[s.next(rng, new int[] {1, 1, 1}).dataset()]++;
        assertEquals(2000, counts[0], 120);
        assertEquals(2000, counts[1], 120);
        assertEquals(1000, counts[2], 100, "half the weight, half the draws");
    }

    @Test
    void equalWeightsDrawExactlyAsTheUniformSampler() {
        DatasetSampler uniform = new DatasetSampler(new long[] {7, 11}, 5);
        DatasetSampler equal = new DatasetSampler(new long[] {7, 11}, new double[] {2, 2}, 5);
        for (int i = 0; i < 40; i++) {
            DatasetSampler.Draw a = uniform.next(new Random(i), new int[] {2, 3});
            DatasetSampler.Draw b = equal.next(new Random(i), new int[] {2, 3});
            assertEquals(a.dataset(), b.dataset());
            assertArrayEquals(a.indices(), b.indices());
        }
    }

    @Test
    void nonPositiveWeightsAreRefused() {
        var e = assertThrows(org.walrusjava.UserError.class,
                () -> new DatasetSampler(new long[] {3, 3}, new double[] {1, 0}, 1));
        assertTrue(e.getMessage().contains("dataset 1") && e.getMessage().contains("positive"), e.getMessage());
        assertThrows(org.walrusjava.UserError.class, () -> new DatasetSampler(new long[] {3, 3}, new double[] {-1, -1}, 1),
                "equal weights are checked too");
    }

    @Test
    void aChosenDatasetContinuesItsOwnOrder() {
        DatasetSampler chosen = new DatasetSampler(new long[] {4, 6}, 9), drawn = new DatasetSampler(new long[] {4, 6}, 9);
        Random rng = new Random(1);
        java.util.Set<Long> windows = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            DatasetSampler.Draw d = chosen.next(1, new int[] {1, 2});
            assertEquals(1, d.dataset());
            for (long w : d.indices()) windows.add(w);
        }
        assertEquals(java.util.Set.of(0L, 1L, 2L, 3L, 4L, 5L), windows, "one cycle of dataset 1, each window once");
        assertEquals(0, chosen.state().cursors()[0], "dataset 0 untouched");
        // the same windows as draws that happen to pick dataset 1
        while (drawn.state().cursors()[1] < 6) {
            DatasetSampler.Draw d = drawn.next(rng, new int[] {1, 2});
            if (d.dataset() == 1) for (long w : d.indices()) assertTrue(windows.remove(w));
        }
        assertTrue(windows.isEmpty());
    }
}
