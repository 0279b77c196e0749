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

    Tensor forward(Tensor x, boolean training) {
        DropPath dp = training ? new DropPath(dropPathRate) : DropPath.OFF;
        return space.forward(time.forward(x, dp), dp);
    }
}
