package org.walrusjava.model;

import org.walrusjava.nn.Module;
import org.walrusjava.tensor.Tensor;

/** One processor block: time mixing, then space mixing (channel mixing is the identity in Walrus). */
final class Block extends Module {
    private final TimeMixing time;
    private final SpaceMixing space;
    final double dropPathRate;

    Block(WalrusConfig c, double dropPathRate) {
        this.dropPathRate = dropPathRate;
        space = child("space_mixing", new SpaceMixing(c));
        time = child("time_mixing", new TimeMixing(c));
    }

    /**
     * @param lastPositionOnly space-mix only the last time position (the result then has T = 1): time mixing is
     *     the only step that looks across positions, so a caller that needs nothing but the last position of the
     *     last block saves the others' space mixing
     */
    Tensor forward(Tensor x, boolean training, boolean lastPositionOnly) {
        DropPath dp = training ? new DropPath(dropPathRate) : DropPath.OFF;
        Tensor mixed = time.forward(x, dp);
        if (lastPositionOnly) mixed = mixed.narrow(0, mixed.size(0) - 1, 1);
        return space.forward(mixed, dp);
    }
}
