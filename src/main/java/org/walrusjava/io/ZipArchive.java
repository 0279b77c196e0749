package org.walrusjava.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.walrusjava.UserError;

/**
 * The central directory of a zip archive (zip64 included): where each entry's bytes lie in the file. Only the
 * directory and the few local headers asked for are read, never the entries' data, so that uncompressed
 * entries can then be memory-mapped in place.
 */
final class ZipArchive implements AutoCloseable {
    static final int STORED = 0;
    private static final int EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
    private static final long U32 = 0xFFFFFFFFL;

    /** One entry of the central directory; crc is the CRC-32 of its uncompressed bytes. */
    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset, int crc) {}

    final Path path;
    final long fileSize;
    /** Entries by name, in directory order. */
    final Map<String, Entry> entries;
    private final FileChannel in;

    private ZipArchive(Path path, FileChannel in) throws IOException {
        this.path = path;
        this.in = in;
        this.fileSize = in.size();
        this.entries = readCentralDirectory();
    }

    /** Opens the archive and reads its directory; the channel stays open until {@link #close}. */
    static ZipArchive open(Path path) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            return new ZipArchive(path, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UserError(path + ": cannot read (" + e + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    /** Where the entry's data begins in the file (after its local header), checked to lie inside the file. */
    long dataOffset(Entry e) {
        ByteBuffer h = read(e.localHeaderOffset(), 30, "local header of " + e.name());
        if (h.getInt(0) != LOCAL) throw corrupt("the local header of " + e.name() + " has a bad signature");
        long start = e.localHeaderOffset() + 30 + (h.getShort(26) & 0xFFFF) + (h.getShort(28) & 0xFFFF);
        if (start + e.compressedSize() > fileSize)
            throw new UserError(path + ": entry " + e.name() + " ends at byte " + (start + e.compressedSize())
                    + " but the file has only " + fileSize + " (truncated)");
        return start;
    }

    /** The bytes of a small uncompressed entry (a pickle, a version record). */
    byte[] readSmall(Entry e) {
        if (e.method() != STORED)
            throw new UserError(path + ": entry " + e.name() + " is compressed (method " + e.method()
                    + "); only uncompressed torch.save archives are supported");
        if (e.size() > Integer.MAX_VALUE - 8) throw corrupt("entry " + e.name() + " is implausibly large");
        byte[] bytes = read(dataOffset(e), (int) e.size(), e.name()).array();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        checkCrc(e, crc);
        return bytes;
    }

    /** Refuses the entry, by name, if the CRC-32 of the bytes fed to crc differs from the directory's. */
    void checkCrc(Entry e, CRC32 crc) {
        if ((int) crc.getValue() != e.crc())
            throw new UserError(path + ": entry " + e.name() + " is damaged (its CRC-32 is "
                    + String.format("%08x", (int) crc.getValue()) + ", the archive records "
                    + String.format("%08x", e.crc()) + "); the file was corrupted after it was written");
    }

    private Map<String, Entry> readCentralDirectory() {
        int tailLength = (int) Math.min(fileSize, 22 + 0xFFFF);
        ByteBuffer tail = read(fileSize - tailLength, tailLength, "end of central directory");
        int eocd = -1;
        for (int i = tailLength - 22; i >= 0 && eocd < 0; i--) if (tail.getInt(i) == EOCD) eocd = i;
        if (eocd < 0)
            throw new UserError(path + ": not a complete zip archive (no end-of-central-directory record:"
                    + " the file is truncated, or not a torch.save checkpoint)");
        long eocdPosition = fileSize - tailLength + eocd;
        long count = tail.getShort(eocd + 10) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & U32;
        long cdOffset = tail.getInt(eocd + 16) & U32;
        if (eocd >= 20 && tail.getInt(eocd - 20) == ZIP64_LOCATOR) {
            long zip64 = tail.getLong(eocd - 20 + 8);
            ByteBuffer z = read(zip64, 56, "zip64 end of central directory");
            if (z.getInt(0) != ZIP64_EOCD) throw corrupt("the zip64 end-of-central-directory record is damaged");
            count = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > eocdPosition || cdSize > Integer.MAX_VALUE)
            throw corrupt("the central directory lies outside the file");
        ByteBuffer cd = read(cdOffset, (int) cdSize, "central directory");
        Map<String, Entry> out = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cdSize || cd.getInt(p) != CENTRAL) throw corrupt("central directory entry " + i + " is damaged");
            int nameLength = cd.getShort(p + 28) & 0xFFFF;
            int extraLength = cd.getShort(p + 30) & 0xFFFF;
            int commentLength = cd.getShort(p + 32) & 0xFFFF;
            if (p + 46 + nameLength + extraLength > cdSize) throw corrupt("central directory entry " + i + " is damaged");
            String name = new String(cd.array(), p + 46, nameLength, StandardCharsets.UTF_8);
            long[] sizes = {cd.getInt(p + 24) & U32, cd.getInt(p + 20) & U32, cd.getInt(p + 42) & U32};
            applyZip64Extra(cd, p + 46 + nameLength, extraLength, sizes);
            if (sizes[2] + 30 > cdOffset) throw corrupt("entry " + name + " starts outside the file");
            out.put(name, new Entry(name, cd.getShort(p + 10) & 0xFFFF, sizes[1], sizes[0], sizes[2], cd.getInt(p + 16)));
            p += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    /** Replaces the 32-bit fields that are saturated (size, compressed size, offset) by their zip64 values. */
    private void applyZip64Extra(ByteBuffer cd, int start, int length, long[] sizes) {
        int p = start;
        while (p + 4 <= start + length) {
            int id = cd.getShort(p) & 0xFFFF;
            int size = cd.getShort(p + 2) & 0xFFFF;
            if (id == 0x0001) {
                int q = p + 4;
                for (int k = 0; k < sizes.length; k++) {
                    if (sizes[k] != U32) continue;
                    if (q + 8 > p + 4 + size) throw corrupt("a zip64 extra field is too short");
                    sizes[k] = cd.getLong(q);
                    q += 8;
                }
                return;
            }
            p += 4 + size;
        }
    }

    private ByteBuffer read(long position, int length, String what) {
        if (position < 0 || position + length > fileSize)
            throw new UserError(path + ": the " + what + " lies beyond the end of the file (truncated)");
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (buf.hasRemaining())
                if (in.read(buf, position + buf.position()) < 0) throw new IOException("unexpected end of file");
        } catch (IOException e) {
            throw new UserError(path + ": cannot read the " + what + " (" + e + ")", e);
        }
        return buf.flip();
    }

    private UserError corrupt(String what) {
        return new UserError(path + ": corrupt zip archive: " + what);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close loses nothing
        }
    }
}
