package org.walrusjava.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorMappingTest {
    @TempDir
    Path dir;

    /** 4 header bytes, then the floats 0..11: a typed region at a byte offset inside the file. */
    private Path readOnlyFile() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 + 12 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xCAFE);
        for (int i = 0; i < 12; i++) b.putFloat(i);
        Path f = dir.resolve("floats.bin");
        Files.write(f, b.array());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        return f;
    }

    @Test
    void mapsTypedRegionAndWritesStayPrivate() throws Exception {
        Path f = readOnlyFile();
        byte[] before = Files.readAllBytes(f);
        Tensor floats;
        try (Tensor bytes = Tensor.mapFile(f, Files.size(f))) {
            floats = bytes.narrow(0, 4, 48).viewAs(DType.FLOAT32).reshape(3, 4);
        }
        // The file tensor's handle is gone; the derived view still holds the mapping.
        System.gc();
        assertEquals(DType.FLOAT32, floats.dtype());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, floats.toFloatArray());
        floats.fill_(7f);
        assertEquals(7f * 12, floats.sum().item());
        assertArrayEquals(before, Files.readAllBytes(f), "copy-on-write mapping must never change the file");
    }

    @Test
    void asStridedIsRelativeToTheTensorStart() throws Exception {
        Path f = readOnlyFile();
        try (Tensor bytes = Tensor.mapFile(f, Files.size(f))) {
            Tensor floats = bytes.narrow(0, 4, 48).viewAs(DType.FLOAT32);
            // A transposed (3, 2) view starting at element 1 of a (2, 3) row-major block.
            Tensor t = floats.asStrided(new long[] {3, 2}, new long[] {1, 3}, 1);
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
        }
    }

    @Test
    void byteViewsReachPastTwoGigabytes() throws Exception {
        // A sparse file: 2.2 GB long, only the marked bytes written, so nothing large is read or allocated.
        long at = (1L << 31) + 1000;
        Path f = dir.resolve("sparse.bin");
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), at);
            ch.write(ByteBuffer.wrap(new byte[] {9}), at + (200L << 20));
        }
        try (Tensor bytes = Tensor.mapFile(f, Files.size(f))) {
            ByteBuffer view = bytes.byteView(at - 2, 12);
            byte[] got = new byte[12];
            view.get(got);
            assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0}, got);
            assertEquals(4, bytes.byteView(10, 4).capacity());
        }
    }
}
