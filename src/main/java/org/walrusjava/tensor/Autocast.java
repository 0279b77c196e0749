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

    private final boolean enabled;

    private Autocast(Device device, DType dtype, boolean enabled) {
        NativeRuntime.init();
        this.enabled = enabled;
        type = device.isCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
        wasEnabled = torch.is_autocast_enabled(type);
        previousDtype = torch.get_autocast_dtype(type);
        if (enabled) {
            torch.set_autocast_dtype(type, dtype.scalarType);
            torch.increment_nesting();
        }
        torch.set_autocast_enabled(type, enabled);
    }

    public static Autocast on(Device device, DType dtype) {
        return new Autocast(device, dtype, true);
    }

    /** A region that computes in the dtypes it is given, inside an autocast region or not. */
    static Autocast suspended(Device device) {
        return new Autocast(device, null, false);
    }

    /** The dtype a convolution or matrix product on {@code device} computes in for operands of {@code dtype}. */
    static DType effective(Device device, DType dtype) {
        torch.DeviceType type = device.isCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
        if (dtype != DType.FLOAT32 || !torch.is_autocast_enabled(type)) return dtype;
        return DType.of(torch.get_autocast_dtype(type));
    }

    @Override
    public void close() {
        if (enabled && torch.decrement_nesting() == 0) torch.clear_cache();
        torch.set_autocast_enabled(type, wasEnabled);
        torch.set_autocast_dtype(type, previousDtype);
    }
}
