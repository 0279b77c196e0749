package org.walrusjava.io;

import org.walrusjava.tensor.DType;

/** The typed-storage classes that torch.save names in data.pkl, one per element type we load and save. */
enum TorchStorageType {
    FloatStorage(DType.FLOAT32),
    DoubleStorage(DType.FLOAT64),
    BFloat16Storage(DType.BFLOAT16),
    HalfStorage(DType.FLOAT16),
    LongStorage(DType.INT64),
    IntStorage(DType.INT32),
    CharStorage(DType.INT8),
    ByteStorage(DType.UINT8),
    BoolStorage(DType.BOOL);

    final DType dtype;

    TorchStorageType(DType dtype) {
        this.dtype = dtype;
    }

    static TorchStorageType of(DType dtype) {
        for (TorchStorageType t : values()) if (t.dtype == dtype) return t;
        throw new IllegalArgumentException("no torch storage type for " + dtype);
    }
}
