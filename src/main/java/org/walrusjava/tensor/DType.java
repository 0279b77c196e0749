package org.walrusjava.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** Element types the project uses, with their byte width and libtorch counterpart. */
public enum DType {
    FLOAT32(4, ScalarType.Float, "F32"),
    FLOAT64(8, ScalarType.Double, "F64"),
    BFLOAT16(2, ScalarType.BFloat16, "BF16"),
    FLOAT16(2, ScalarType.Half, "F16"),
    INT64(8, ScalarType.Long, "I64"),
    INT32(4, ScalarType.Int, "I32"),
    INT8(1, ScalarType.Char, "I8"),
    UINT8(1, ScalarType.Byte, "U8"),
    BOOL(1, ScalarType.Bool, "BOOL");

    public final int bytes;
    final ScalarType scalarType;
    /** The dtype name used by the safetensors format. */
    public final String safetensorsName;

    DType(int bytes, ScalarType scalarType, String safetensorsName) {
        this.bytes = bytes;
        this.scalarType = scalarType;
        this.safetensorsName = safetensorsName;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == BFLOAT16 || this == FLOAT16;
    }

    static DType of(ScalarType st) {
        // JavaCPP hands back enum copies from native code; intern() maps them to the canonical constants.
        ScalarType canonical = st.intern();
        for (DType d : values()) if (d.scalarType == canonical) return d;
        throw new IllegalArgumentException("unsupported libtorch scalar type " + st);
    }

    public static DType fromSafetensors(String name) {
        for (DType d : values()) if (d.safetensorsName.equals(name)) return d;
        throw new IllegalArgumentException("unsupported safetensors dtype " + name);
    }

    /** Parses user-facing names such as "fp32", "bf16", "float16". */
    public static DType parse(String name) {
        return switch (name.toLowerCase()) {
            case "fp32", "float32", "float", "f32" -> FLOAT32;
            case "bf16", "bfloat16" -> BFLOAT16;
            case "fp16", "float16", "half", "f16" -> FLOAT16;
            case "fp64", "float64", "double" -> FLOAT64;
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "' (use fp32, bf16 or fp16)");
        };
    }
}
