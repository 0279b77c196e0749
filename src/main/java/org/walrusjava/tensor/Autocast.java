package org.walrusjava.tensor;

import org.bytedeco.pytorch.global.torch;

/**
 * Automatic mixed precision for a region ({@code try (var a = Autocast.on(device, DType.BFLOAT16)) {...}}):
 * matrix products and convolutions run in the lower precision, reductions and norms stay in float32, the weights
 * themselves are untouched. Leaving the outermost region drops libtorch's cache of cast weights, which would
 * otherwise outlive an optimizer update.
 */
public final class Autocast implements AutoCloseable {
    private final torch.DeviceType type;
    private final boolean wasEnabled;
    private final torch.ScalarType previousDtype;

    private Autocast(Device device, DType dtype) {
        NativeRuntime.init();
        type = device.isCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
        wasEnabled = torch.is_autocast_enabled(type);
        previousDtype = torch.get_autocast_dtype(type);
        torch.set_autocast_dtype(type, dtype.scalarType);
        torch.set_autocast_enabled(type, true);
        torch.increment_nesting();
    }

    public static Autocast on(Device device, DType dtype) {
        return new Autocast(device, dtype);
    }

    @Override
    public void close() {
        if (torch.decrement_nesting() == 0) torch.clear_cache();
        torch.set_autocast_enabled(type, wasEnabled);
        torch.set_autocast_dtype(type, previousDtype);
    }
}
