package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NativeScopeTest {
    @Test
    void anOwnedHandleOutlivesEveryScopeOpenWhenItWasMade() {
        Tensor scoped, owned;
        try (NativeScope outer = NativeScope.open(); NativeScope inner = NativeScope.open()) {
            scoped = Tensor.of(new float[] {1, 2, 3}, 3);
            owned = scoped.owned();
        }
        assertTrue(scoped.isFreed(), "the scope still frees the handle it owned");
        assertFalse(owned.isFreed());
        assertArrayEquals(new float[] {1, 2, 3}, owned.toFloatArray());
        owned.close();
        assertTrue(owned.isFreed());
    }

    @Test
    void liveHandlesCountsWhatAScopeHoldsUntilItCloses() {
        long before = NativeRuntime.liveHandles();
        try (NativeScope s = NativeScope.open()) {
            for (int i = 0; i < 10; i++) Tensor.zeros(2, 2);
            assertTrue(NativeRuntime.liveHandles() >= before + 10, "ten tensors at least");
        }
        // The garbage collector may free older objects meanwhile, so the count can only come back or drop below.
        assertTrue(NativeRuntime.liveHandles() <= before);
    }
}
