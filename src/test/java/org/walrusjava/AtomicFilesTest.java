package org.walrusjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writtenFilesGetTheModeOfAnyNewFileNotOwnerOnly() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(plain);
        Path target = dir.resolve("stats.yaml");
        AtomicFiles.writeString(target, "a: 1\n");
        assertEquals("a: 1\n", Files.readString(target));
        assertEquals(PosixFilePermissions.toString(umaskMode),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        // Overwriting keeps following the umask rather than the previous file's mode.
        AtomicFiles.writeString(target, "a: 2\n");
        assertEquals(PosixFilePermissions.toString(umaskMode),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var left = Files.list(dir)) {
            assertEquals(Set.of(plain, target), Set.copyOf(left.toList()), "no temporary file is left behind");
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("metrics.json");
        AtomicFiles.writeString(target, "old");
        UserError e = assertThrows(UserError.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals(target + ": cannot write (disk full)", e.getMessage());
        assertEquals("old", Files.readString(target));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count());
        }
    }
}
