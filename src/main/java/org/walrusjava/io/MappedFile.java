package org.walrusjava.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.walrusjava.UserError;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

/**
 * A whole file mapped once (copy-on-write, by libtorch), out of which tensors are carved without copying. Each
 * carved tensor keeps the mapping alive on its own. Open it inside a {@link org.walrusjava.tensor.NativeScope}:
 * the handle to the whole file goes when that scope closes, and the tensors kept out of it hold the pages.
 */
final class MappedFile {
    final Path path;
    final long size;
    /** A ByteBuffer spans at most 2 GB; entries are checked in slices of this many bytes. */
    private static final int CRC_CHUNK = 1 << 30;

    private final Tensor bytes;

    private MappedFile(Path path, long size) {
        this.path = path;
        this.size = size;
        this.bytes = Tensor.mapFile(path, size);
    }

    static MappedFile open(Path path) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new UserError(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (size == 0) throw new UserError(path + ": the file is empty");
        return new MappedFile(path, size);
    }

    /**
     * The CRC-32 of bytes [offset, offset + length), read through the same mapping the tensors use, so that the
     * pages it faults in are the ones the weights then live in rather than a second copy.
     */
    CRC32 crc32(long offset, long length) {
        if (offset < 0 || offset + length > size)
            throw new UserError(path + ": bytes [" + offset + ", " + (offset + length)
                    + ") lie beyond the end of the file (" + size + " bytes; truncated?)");
        CRC32 crc = new CRC32();
        for (long done = 0; done < length; ) {
            int chunk = (int) Math.min(length - done, CRC_CHUNK);
            crc.update(bytes.byteView(offset + done, chunk));
            done += chunk;
        }
        return crc;
    }

    /** A row-major tensor whose first element starts at byteOffset. */
    Tensor contiguous(long byteOffset, DType dtype, long[] shape) {
        long count = 1;
        for (long s : shape) count *= s;
        return typed(byteOffset, count * dtype.bytes, dtype).reshape(shape);
    }

    /**
     * A strided view of a storage that starts at byteOffset and holds storageElements elements: shape and
     * strides in elements, elementOffset where the view starts inside the storage.
     */
    Tensor strided(long byteOffset, long storageElements, DType dtype, long[] shape, long[] strides,
            long elementOffset) {
        return typed(byteOffset, storageElements * dtype.bytes, dtype).asStrided(shape, strides, elementOffset);
    }

    private Tensor typed(long byteOffset, long byteLength, DType dtype) {
        if (byteOffset < 0 || byteOffset + byteLength > size)
            throw new UserError(path + ": data at bytes [" + byteOffset + ", " + (byteOffset + byteLength)
                    + ") lies beyond the end of the file (" + size + " bytes; truncated?)");
        Tensor region = bytes.narrow(0, byteOffset, byteLength);
        // A dtype view needs its start aligned to the element width; files that do not align their data
        // (legal in both formats) cost one copy of that tensor instead.
        if (byteOffset % dtype.bytes != 0) region = region.copy();
        return region.viewAs(dtype);
    }
}
