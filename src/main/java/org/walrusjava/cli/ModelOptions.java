package org.walrusjava.cli;

import org.walrusjava.api.Walrus;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;

/** Turns the shared model flags (--dtype, --device, --extended-strides) into {@link Walrus.Options}. */
final class ModelOptions {
    private ModelOptions() {}

    static Walrus.Options of(String dtype, boolean extendedStrides) {
        return of(dtype, null, extendedStrides);
    }

    static Walrus.Options of(String dtype, String device, boolean extendedStrides) {
        try {
            return new Walrus.Options(dtype == null ? DType.FLOAT32 : DType.parse(dtype),
                    device == null ? Device.CPU : Device.parse(device), extendedStrides);
        } catch (IllegalArgumentException e) {
            throw new org.walrusjava.UserError(e.getMessage());
        }
    }
}
