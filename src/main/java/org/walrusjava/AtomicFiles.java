package org.walrusjava;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes output files so that a reader (or a crash) never sees half of one: the bytes go to a temporary file in
 * the same folder, which is then renamed over the target in one step.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** What goes into the file, as a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What goes into the file, through a channel (for large binary files written from buffers). */
    @FunctionalInterface
    public interface ChannelContent {
        void writeTo(FileChannel out) throws IOException;
    }

    public static void write(Path target, Content content) {
        writeChannel(target, channel -> {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            // Writers such as Jackson close the stream they are given; the channel must stay open until forced.
            OutputStream out = new java.io.FilterOutputStream(buffered) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    buffered.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            content.writeTo(out);
            out.flush();
        });
    }

    /** Writes through a channel; the data is forced to disk before the rename so a crash leaves the old file. */
    public static void writeChannel(Path target, ChannelContent content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = createTemporary(dir, target);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(out);
                out.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UserError(target + ": cannot write (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Writes all of buf at the channel's position. */
    public static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A new empty file beside the target. Files.createTempFile would make it 0600; created plainly it gets 0666
     * less the umask, as the HDF5 files libhdf5 writes do, so that other users and web servers can read reports
     * and checkpoints. Creation is exclusive (O_EXCL), so a planted link or an existing file is never taken over.
     */
    private static Path createTemporary(Path dir, Path target) throws IOException {
        while (true) {
            Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // drawn before by another writer: draw again
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some network file systems cannot rename atomically; a plain replace is the best they offer.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The original failure is the one worth reporting.
        }
    }
}
