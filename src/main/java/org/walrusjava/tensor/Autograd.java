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

    /** Whether autograd records an operation on these operands (nulls ignored) on the calling thread. */
    static boolean records(org.bytedeco.pytorch.Tensor... operands) {
        if (!org.bytedeco.pytorch.GradMode.is_enabled()) return false;
        for (org.bytedeco.pytorch.Tensor t : operands) if (t != null && t.requires_grad()) return true;
        return false;
    }

    @Override
    public void close() {
        mode.close();
    }
}
