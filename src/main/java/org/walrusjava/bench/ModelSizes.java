package org.walrusjava.bench;

import java.util.List;
import org.walrusjava.model.WalrusConfig;

/** The three model sizes the benchmarks report: the tiny fixture config, a medium one, and the released 1.3B. */
public final class ModelSizes {
    private ModelSizes() {}

    public static WalrusConfig tiny() {
        return new WalrusConfig(64, 16, 2, 4, 4, 67, 16, true, true, true, List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.0, 0.0, 0);
    }

    public static WalrusConfig medium() {
        return new WalrusConfig(384, 96, 8, 6, 6, 67, 16, true, true, true, List.of(2, 3),
                new int[][] {{8, 4}, {8, 4}, {8, 4}}, 0.0, 0.0, 0);
    }

    public static WalrusConfig full() {
        return WalrusConfig.released();
    }

    public static WalrusConfig byName(String name) {
        return switch (name) {
            case "tiny" -> tiny();
            case "medium" -> medium();
            case "full", "1.3b", "released" -> full();
            default -> throw new org.walrusjava.UserError("unknown model size '" + name + "' (tiny, medium, full)");
        };
    }
}
