package org.walrusjava.data;

import org.walrusjava.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.walrusjava.UserError;

/**
 * Writes named float32 arrays as `.safetensors` or `.npz`, the two formats Python users load in one line
 * ({@code safetensors.numpy.load_file}, {@code numpy.load}). Self-contained so the data layer needs no tensor
 * library; files appear whole or not at all (temporary file + rename).
 */
public final class ArrayFileWriter {
    private ArrayFileWriter() {}

    public enum Format {
        SAFETENSORS,
        NPZ;

        public static Format parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("unknown format '" + name + "' (expected safetensors or npz)");
            }
        }
    }

    /** A row-major float32 array. */
    public record NamedArray(String name, int[] shape, float[] data) {
        public NamedArray {
            long n = 1;
            for (int s : shape) n *= s;
            if (n != data.length) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                        + " values, data has " + data.length);
            }
        }
    }

    public static void write(Path target, Format format, List<NamedArray> arrays, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        for (NamedArray a : arrays) {
            if (!names.add(a.name())) throw new UserError(target + ": two arrays named '" + a.name() + "'");
        }
        AtomicFiles.write(target, out -> {
            if (format == Format.SAFETENSORS) safetensors(out, arrays, metadata);
            else npz(out, arrays);
        });
    }

    /**
     * safetensors: u64 little-endian header length, a JSON header (name -> dtype, shape, byte offsets into the
     * data; optional "__metadata__" string map), padded with spaces to 8 bytes, then the raw little-endian data.
     */
    private static void safetensors(OutputStream out, List<NamedArray> arrays, Map<String, String> metadata)
            throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{").append(metadata.entrySet().stream()
                    .map(e -> json(e.getKey()) + ":" + json(e.getValue())).collect(Collectors.joining(","))).append("},");
        }
        long offset = 0;
        for (NamedArray a : arrays) {
            long end = offset + 4L * a.data().length;
            header.append(json(a.name())).append(":{\"dtype\":\"F32\",\"shape\":[")
                    .append(Arrays.stream(a.shape()).mapToObj(String::valueOf).collect(Collectors.joining(",")))
                    .append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]},");
            offset = end;
        }
        header.setLength(header.length() - 1);
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(head);
        for (NamedArray a : arrays) writeFloats(out, a.data());
    }

    /** npz: a zip of `<name>.npy` files (format 1.0: magic, header dict padded to 64 bytes, raw data). */
    private static void npz(OutputStream out, List<NamedArray> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED);
        for (NamedArray a : arrays) {
            zip.putNextEntry(new ZipEntry(a.name() + ".npy"));
            zip.write(npyHeader(a.shape()));
            writeFloats(zip, a.data());
            zip.closeEntry();
        }
        zip.finish();
    }

    static byte[] npyHeader(int[] shape) {
        String dims = shape.length == 1 ? shape[0] + ","
                : Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 6 + 2 + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static void writeFloats(OutputStream out, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; ) {
            buf.clear();
            int n = Math.min(data.length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, 4 * n);
            i += n;
        }
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
