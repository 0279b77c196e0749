package org.walrusjava.importer;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import org.walrusjava.UserError;

/** Opens a user's data file or folder by its kind. */
final class Sources {
    private Sources() {}

    /** {@code scratch}: a folder for unpacked archive members; {@code arena}: owns memory-mapped arrays. */
    static ArraySource open(Path path, Path scratch, Arena arena) {
        if (NumpySource.accepts(path)) return NumpySource.open(path, scratch, arena);
        throw new UserError(path + ": unsupported input; walrus import reads NumPy .npy/.npz files or a folder of"
                + " .npy files");
    }
}
