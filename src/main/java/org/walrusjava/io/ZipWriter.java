package org.walrusjava.io;

import org.walrusjava.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip archive of uncompressed entries whose data start on 64-byte boundaries, the layout torch.save
 * produces, so that readers (ours and PyTorch's mmap loader) can map each entry in place. Always ends with
 * zip64 records, as PyTorch's writer does, so archives over 4 GiB need no special case.
 */
final class ZipWriter {
    static final int ALIGNMENT = 64;
    private static final long U32 = 0xFFFFFFFFL;
    /** Version 4.5: zip64. */
    private static final short VERSION = 45;
    /** 1980-01-01 in MS-DOS date format: entries carry no meaningful timestamp. */
    private static final short DOS_DATE = 0x21;

    private record Written(byte[] name, long crc, long size, long offset) {}

    private final FileChannel out;
    private final List<Written> written = new ArrayList<>();

    ZipWriter(FileChannel out) {
        this.out = out;
    }

    void add(String name, ByteBuffer data) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long offset = out.position();
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        long size = data.remaining();
        // The extra field ("FB" + length + 'Z' padding, like PyTorch) pushes the data to the next boundary.
        int padding = (int) Math.floorMod(-(offset + 30 + nameBytes.length + 4), (long) ALIGNMENT);
        ByteBuffer h = buffer(30 + nameBytes.length + 4 + padding);
        h.putInt(0x04034b50).putShort(VERSION).putShort((short) 0).putShort((short) ZipArchive.STORED)
                .putShort((short) 0).putShort(DOS_DATE).putInt((int) crc.getValue())
                .putInt((int) size).putInt((int) size)
                .putShort((short) nameBytes.length).putShort((short) (4 + padding)).put(nameBytes)
                .put((byte) 'F').put((byte) 'B').putShort((short) padding);
        for (int i = 0; i < padding; i++) h.put((byte) 'Z');
        AtomicFiles.writeFully(out, h.flip());
        AtomicFiles.writeFully(out, data.duplicate());
        written.add(new Written(nameBytes, crc.getValue(), size, offset));
    }

    /** Writes the central directory and the end records; the archive is complete afterwards. */
    void finish() throws IOException {
        long cdOffset = out.position();
        for (Written w : written) {
            boolean far = w.offset() >= U32;
            ByteBuffer c = buffer(46 + w.name().length + (far ? 12 : 0));
            c.putInt(0x02014b50).putShort((short) (0x0300 | VERSION)).putShort(VERSION).putShort((short) 0)
                    .putShort((short) ZipArchive.STORED).putShort((short) 0).putShort(DOS_DATE)
                    .putInt((int) w.crc()).putInt((int) w.size()).putInt((int) w.size())
                    .putShort((short) w.name().length).putShort((short) (far ? 12 : 0)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (far ? U32 : w.offset()))
                    .put(w.name());
            if (far) c.putShort((short) 0x0001).putShort((short) 8).putLong(w.offset());
            AtomicFiles.writeFully(out, c.flip());
        }
        long cdSize = out.position() - cdOffset;
        long zip64Offset = out.position();
        long n = written.size();
        ByteBuffer end = buffer(56 + 20 + 22);
        end.putInt(0x06064b50).putLong(44).putShort(VERSION).putShort(VERSION).putInt(0).putInt(0)
                .putLong(n).putLong(n).putLong(cdSize).putLong(cdOffset);
        end.putInt(0x07064b50).putInt(0).putLong(zip64Offset).putInt(1);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(n, 0xFFFF)).putShort((short) Math.min(n, 0xFFFF))
                .putInt((int) Math.min(cdSize, U32)).putInt((int) Math.min(cdOffset, U32)).putShort((short) 0);
        AtomicFiles.writeFully(out, end.flip());
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
