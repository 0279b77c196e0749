package org.walrusjava.api;

import org.walrusjava.model.Rolls;

/**
 * Where a run gets its patch-jitter rolls: seeded random rolls as the released model draws them at inference (the
 * default, seed 0), or every roll 0 (`--no-jitter`, the deterministic parity mode). A case that records rolls
 * replays them instead.
 */
public record Jitter(boolean enabled, long seed) {
    public static Jitter seeded(long seed) {
        return new Jitter(true, seed);
    }

    public static Jitter off() {
        return new Jitter(false, 0);
    }

    /** The rolls of ensemble member (or window, or trajectory) k: seed + k, so each draws its own. */
    public Rolls rolls(int k) {
        return enabled ? Rolls.seeded(seed + k) : Rolls.zero();
    }

    /** The rolls for a case: its recorded ones if it has any, else {@link #rolls(int)}. */
    public Rolls rolls(int k, CaseSpec c) {
        return c.hasRecordedRolls() ? c.recordedRolls() : rolls(k);
    }

    public String describe() {
        return enabled ? "seeded jitter (seed " + seed + ")" : "no jitter (all rolls 0)";
    }
}
