package org.walrusjava;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A folder built in a hidden sibling and renamed into place when complete, so its target either holds the whole
 * result or what it held before. Close without {@link #publish} (an error on the way) deletes the partial folder.
 */
public final class StagedFolder implements AutoCloseable {
    private final Path target;
    private final Path staging;

    private StagedFolder(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Starts a folder for {@code root}, which must not exist or be empty unless {@code replace} is set (then what
     * it holds is removed once the new content is published).
     */
    public static StagedFolder create(Path root, boolean replace) {
        Path target = root.toAbsolutePath().normalize();
        if (!replace && isNonEmptyDirectory(target))
            throw new UserError(root + ": exists and is not empty; remove it or choose another --out");
        if (Files.exists(target) && !Files.isDirectory(target)) throw new UserError(root + ": exists and is not a folder");
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            return new StagedFolder(target, Files.createDirectory(parent.resolve("." + target.getFileName()
                    + ".partial-" + Long.toHexString(ThreadLocalRandom.current().nextLong()))));
        } catch (IOException e) {
            throw new UserError(target + ": cannot create a folder next to it (" + e.getMessage() + ")", e);
        }
    }

    /** Where to write the content. */
    public Path path() {
        return staging;
    }

    /** The published location. */
    public Path target() {
        return target;
    }

    /** {@code staged} (a path inside {@link #path}) as it is once published. */
    public Path published(Path staged) {
        return target.resolve(staging.relativize(staged));
    }

    /**
     * Renames the complete staging folder to the target. An existing target is first moved aside, put back if the
     * rename fails, and deleted once the new content is in place.
     */
    public void publish() {
        Path old = null;
        try {
            if (isNonEmptyDirectory(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            restore(old, target);
            throw new UserError(target + ": cannot move the finished folder into place (" + e.getMessage() + ")", e);
        }
        if (old != null) deleteTree(old);
    }

    @Override
    public void close() {
        deleteTree(staging);
    }

    private static void restore(Path old, Path target) {
        if (old == null) return;
        try {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError(target + ": could not be replaced, and its previous content is left in " + old, e);
        }
    }

    private static boolean isNonEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // leftovers of a hidden scratch folder are harmless; the result itself is complete or untouched
        }
    }
}
