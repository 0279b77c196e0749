package org.walrusjava.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.walrusjava.UserError;

/** The first bytes of a file, which tell the checkpoint formats apart. */
final class FileHead {
    private final byte[] head;

    private FileHead(byte[] head) {
        this.head = head;
    }

    static FileHead of(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError(file + ": no such file");
        try (InputStream in = Files.newInputStream(file)) {
            return new FileHead(in.readNBytes(9));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e + ")", e);
        }
    }

    /** A zip archive, as torch.save has written since PyTorch 1.6. */
    boolean isZip() {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /**
     * The torch.save format before PyTorch 1.6: a bare pickle (protocol 2) that starts with a long magic
     * number. A safetensors header length can begin with the same bytes; its JSON brace tells it apart.
     */
    boolean isLegacyTorch() {
        return head.length >= 3 && (head[0] & 0xFF) == 0x80 && head[1] == 2 && (head[2] & 0xFF) == 0x8a
                && !(head.length == 9 && head[8] == '{');
    }
}
