package org.walrusjava.importer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walrusjava.UserError;

/**
 * A NumPy {@code .npy} array of float32 or float64 (either byte order, C or Fortran order), memory-mapped rather
 * than read, so importing a data set much larger than memory only pages in what is being converted. Format: the
 * NumPy "npy format" document, versions 1.0 to 3.0.
 */
public final class NpyArray implements SourceArray {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final String label;
    private final long[] shape;
    private final long[] strides;
    private final MemorySegment data;
    private final ValueLayout.OfFloat floats;
    private final ValueLayout.OfDouble doubles;

    private NpyArray(String label, long[] shape, boolean fortran, MemorySegment data, boolean doublePrecision,
                     ByteOrder order) {
        this.label = label;
        this.shape = shape;
        this.data = data;
        this.floats = doublePrecision ? null : ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
        this.doubles = doublePrecision ? ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order) : null;
        strides = new long[shape.length];
        long step = doublePrecision ? 8 : 4;
        for (int k = 0; k < shape.length; k++) {
            int a = fortran ? k : shape.length - 1 - k;
            strides[a] = step;
            step *= shape[a];
        }
    }

    /** Maps {@code file}; {@code label} names the array in errors ("run.npz:rho"). The mapping lives as long as {@code arena}. */
    public static NpyArray open(Path file, String label, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(whole, label);
        } catch (IOException e) {
            throw new UserError(label + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static NpyArray parse(MemorySegment whole, String label) {
        if (whole.byteSize() < 10 || !Arrays.equals(whole.asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE), MAGIC)) {
            throw new UserError(label + ": not a NumPy .npy array (no \\x93NUMPY magic)");
        }
        int major = whole.get(ValueLayout.JAVA_BYTE, 6);
        long headerLength = major == 1
                ? Short.toUnsignedInt(whole.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8))
                : Integer.toUnsignedLong(whole.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
        long headerStart = major == 1 ? 10 : 12;
        if (headerStart + headerLength > whole.byteSize()) throw new UserError(label + ": truncated .npy header");
        String header = new String(whole.asSlice(headerStart, headerLength).toArray(ValueLayout.JAVA_BYTE),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw new UserError(label + ": unreadable .npy header " + header.strip());
        }
        String kind = descr.group(2);
        int size = Integer.parseInt(descr.group(3));
        if (!kind.equals("f") || (size != 4 && size != 8)) {
            throw new UserError(label + ": dtype " + descr.group(1) + kind + size
                    + " is not supported; convert the array to float32 or float64 (arr.astype('float32'))");
        }
        long[] shape = Arrays.stream(shapeText.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        long dataStart = headerStart + headerLength;
        if (whole.byteSize() - dataStart < count * size) {
            throw new UserError(label + ": truncated: shape " + Arrays.toString(shape) + " needs " + count * size
                    + " bytes of data, the file has " + (whole.byteSize() - dataStart));
        }
        ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new NpyArray(label, shape, fortran.group(1).equals("True"), whole.asSlice(dataStart, count * size),
                size == 8, order);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public double get(long[] index) {
        long offset = 0;
        for (int a = 0; a < index.length; a++) offset += index[a] * strides[a];
        return doubles != null ? data.get(doubles, offset) : data.get(floats, offset);
    }

    /** Bytes of data. */
    public long byteSize() {
        return data.byteSize();
    }
}
