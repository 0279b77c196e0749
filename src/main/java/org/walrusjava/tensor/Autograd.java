package org.walrusjava.tensor;

import org.bytedeco.pytorch.AutoGradMode;

/** Switches gradient recording off (inference) or on for a region: {@code try (var g = Autograd.off()) {...}}. */
public final class Autograd implements AutoCloseable {
    private final AutoGradMode mode;

    private Autograd(boolean enabled) {
        NativeRuntime.init();
        mode = new AutoGradMode(enabled);
    }

    public static Autograd off() {
        return new Autograd(false);
    }

    public static Autograd on() {
        return new Autograd(true);
    }

    @Override
    public void close() {
        mode.close();
    }
}
