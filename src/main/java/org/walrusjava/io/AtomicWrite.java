package org.walrusjava.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.walrusjava.UserError;

/**
 * Writes a file so that readers see either the old file or the complete new one: the content goes to a
 * temporary file next to the target, is flushed to disk, and is then renamed over the target.
 */
final class AtomicWrite {
    private AtomicWrite() {}

    interface Body {
        void writeTo(FileChannel out) throws IOException;
    }

    static void write(Path target, Body body) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".partial");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.writeTo(out);
                out.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UserError(target + ": cannot write (" + e + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /** Writes all of buf at the channel's current position. */
    static void writeFully(FileChannel out, java.nio.ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }
}
