package org.walrusjava.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.walrusjava.UserError;

/**
 * What data commands accept: one `.hdf5` file, a split folder (its `*.hdf5` files in sorted order; trajectory
 * indices run across the files in that order), or a dataset root holding `data/{train,valid,test}` plus a split
 * name.
 */
public final class WellPaths {
    private WellPaths() {}

    /** The HDF5 files {@code path} stands for, sorted by name. */
    public static List<Path> resolve(Path path, String split) {
        if (Files.isRegularFile(path)) {
            if (!isHdf5(path)) throw new UserError(path + ": not an .hdf5 file");
            return List.of(path);
        }
        if (!Files.isDirectory(path)) throw new UserError(path + ": no such file or folder");
        List<Path> files = hdf5In(path);
        if (!files.isEmpty()) return files;
        Path data = path.resolve("data");
        if (Files.isDirectory(data)) {
            Path splitDir = data.resolve(split);
            if (!Files.isDirectory(splitDir)) {
                throw new UserError(path + ": no split '" + split + "' under data/ (found " + subfolders(data) + ")");
            }
            List<Path> inSplit = hdf5In(splitDir);
            if (inSplit.isEmpty()) throw new UserError(splitDir + ": no .hdf5 files");
            return inSplit;
        }
        throw new UserError(path + ": no .hdf5 files and no data/{train,valid,test} folders");
    }

    /** Whether {@code path} is a dataset root (a folder with data/). */
    public static boolean isDatasetRoot(Path path) {
        return Files.isDirectory(path.resolve("data")) && hdf5In(path).isEmpty();
    }

    /** The splits present under a dataset root, in train, valid, test order, then others by name. */
    public static List<String> splits(Path root) {
        List<String> order = List.of("train", "valid", "test");
        return subfolders(root.resolve("data")).stream()
                .sorted(Comparator.comparingInt((String s) -> rank(order, s)).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /**
     * The dataset root of resolved files (where `stats.yaml` and `<name>.yaml` live): two levels above a
     * `data/<split>/` folder, or null when the files are not in that layout.
     */
    public static Path datasetRoot(List<Path> files) {
        Path split = files.getFirst().toAbsolutePath().getParent();
        Path data = split == null ? null : split.getParent();
        return data != null && data.getFileName() != null && data.getFileName().toString().equals("data")
                ? data.getParent() : null;
    }

    private static int rank(List<String> order, String s) {
        int i = order.indexOf(s);
        return i < 0 ? order.size() : i;
    }

    private static boolean isHdf5(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".hdf5") || n.endsWith(".h5");
    }

    private static List<Path> hdf5In(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && isHdf5(p)).sorted().toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }
}
