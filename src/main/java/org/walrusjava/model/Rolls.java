package org.walrusjava.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where patch jittering gets its shifts (spec §1.2-1.4, Corrections 2, 3, 12). The released model rolls the
 * padded input once per real axis and the token grid before every block on every periodic axis, at inference
 * too. Tests force all rolls to 0 or replay recorded ones; users get seeded random rolls.
 * Roll convention everywhere: out[i] = in[(i - r) mod n].
 */
public interface Rolls {
    /** Patch roll of spatial axis (0, 1, 2 = H, W, D), uniform in [-(h-1), h). */
    int patchRoll(int axis, int h);

    /** Token roll before block {@code block} along tensor dim (3, 4, 5 = H, W, D), uniform in [0, n). */
    int blockRoll(int block, int tensorDim, int n);

    /** Deterministic parity mode: every roll 0 (the released padding is kept). */
    static Rolls zero() {
        return new Rolls() {
            public int patchRoll(int axis, int h) {
                return 0;
            }

            public int blockRoll(int block, int tensorDim, int n) {
                return 0;
            }
        };
    }

    /**
     * Random rolls that reproduce a reference run seeded with {@code seed}: patch rolls from torch's CPU generator,
     * block rolls from NumPy's legacy global generator, both MT19937 seeded with the same value.
     */
    static Rolls seeded(long seed) {
        Mt19937 torchGen = new Mt19937(seed);
        Mt19937 numpyGen = new Mt19937(seed);
        return new Rolls() {
            public int patchRoll(int axis, int h) {
                int low = -(h - 1);
                long range = (long) h - low;
                return (int) (low + Long.remainderUnsigned(torchGen.nextUnsigned(), range));
            }

            public int blockRoll(int block, int tensorDim, int n) {
                return n <= 1 ? 0 : numpyGen.boundedMasked(n);
            }
        };
    }

    /** Replays recorded rolls; anything not recorded is 0 (the `walrus trace` case schema). */
    static Rolls replay(Map<Integer, Integer> patchRollsByAxis, List<BlockRoll> blockRolls) {
        Map<Long, Integer> byBlockDim = new HashMap<>();
        for (BlockRoll r : blockRolls) byBlockDim.put(((long) r.block() << 8) | r.tensorDim(), r.value());
        Map<Integer, Integer> patch = new HashMap<>(patchRollsByAxis);
        return new Rolls() {
            public int patchRoll(int axis, int h) {
                return patch.getOrDefault(axis, 0);
            }

            public int blockRoll(int block, int tensorDim, int n) {
                return byBlockDim.getOrDefault(((long) block << 8) | tensorDim, 0);
            }
        };
    }

    record BlockRoll(int block, int tensorDim, int value) {}

    /** Records every roll another source hands out, in draw order (for traces and reproducibility reports). */
    final class Recorder implements Rolls {
        private final Rolls source;
        public final Map<Integer, Integer> patchRolls = new HashMap<>();
        public final List<BlockRoll> blockRolls = new ArrayList<>();

        public Recorder(Rolls source) {
            this.source = source;
        }

        public int patchRoll(int axis, int h) {
            int r = source.patchRoll(axis, h);
            patchRolls.put(axis, r);
            return r;
        }

        public int blockRoll(int block, int tensorDim, int n) {
            int r = source.blockRoll(block, tensorDim, n);
            blockRolls.add(new BlockRoll(block, tensorDim, r));
            return r;
        }
    }
}
