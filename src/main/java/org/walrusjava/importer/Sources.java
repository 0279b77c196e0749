package org.walrusjava.importer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.walrusjava.UserError;

/**
 * Opens a user's data by its kind; several sources (one per trajectory) become one whose arrays have a leading
 * trajectory axis.
 */
final class Sources {
    private Sources() {}

    /**
     * {@code scratch}: a folder for unpacked archive members; {@code arena}: owns memory-mapped arrays. A pattern
     * ({@code runs/*.npz}) stands for its matching files in name order, one trajectory each, except a pattern of
     * .vti files, which is one trajectory's steps.
     */
    static ArraySource open(List<Path> entries, Path scratch, Arena arena) {
        List<Path> paths = entries.stream().flatMap(p -> expand(p).stream()).toList();
        if (paths.size() == 1) return open(paths.getFirst(), scratch.resolve("0"), arena);
        return stacked(paths, (path, i) -> open(path, scratch.resolve(String.valueOf(i)), arena));
    }

    /**
     * Trajectories stored as one file per time step: each entry (a pattern such as {@code run0/step_*.npz}, or a
     * folder) is one trajectory, whose files are stacked along a leading time axis in the order of the last number in
     * their names (solvers seldom pad step numbers: step_10 comes after step_9); several entries add a leading
     * trajectory axis before it.
     */
    static ArraySource openSteps(List<Path> entries, Path scratch, Arena arena) {
        List<List<Path>> trajectories = entries.stream().map(Sources::steps).toList();
        if (trajectories.size() == 1) return steps(trajectories.getFirst(), scratch.resolve("0"), arena);
        return stacked(trajectories, (steps, i) -> steps(steps, scratch.resolve(String.valueOf(i)), arena));
    }

    private static ArraySource steps(List<Path> files, Path scratch, Arena arena) {
        return stacked(files, (path, i) -> open(path, scratch.resolve(String.valueOf(i)), arena));
    }

    private static List<Path> steps(Path entry) {
        List<Path> files = Files.isDirectory(entry) ? StepFiles.matching(entry, "*")
                : StepFiles.matching(entry.getParent(), entry.getFileName().toString());
        if (files.isEmpty()) throw new UserError(entry + ": no step files match");
        return files;
    }

    private interface Opener<T> {
        ArraySource open(T what, int index);
    }

    /** One source per item, stacked along a new leading axis; those already open are closed if one fails. */
    private static <T> ArraySource stacked(List<T> items, Opener<T> opener) {
        List<ArraySource> sources = new ArrayList<>();
        try {
            for (int i = 0; i < items.size(); i++) sources.add(opener.open(items.get(i), i));
        } catch (RuntimeException e) {
            sources.forEach(ArraySource::close);
            throw e;
        }
        return new Stacked(sources);
    }

    private static List<Path> expand(Path pattern) {
        String name = pattern.getFileName().toString();
        if (!name.contains("*") || name.endsWith(".vti")) return List.of(pattern);
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(pattern.getParent(), name)) {
            s.forEach(matches::add);
        } catch (IOException e) {
            throw new UserError(pattern + ": cannot list (" + e.getMessage() + ")", e);
        }
        if (matches.isEmpty()) throw new UserError(pattern + ": no files match");
        return matches.stream().sorted().toList();
    }

    static ArraySource open(Path path, Path scratch, Arena arena) {
        if (VtiSeries.accepts(path)) return VtiSeries.open(path);
        if (NetcdfSource.accepts(path)) return NetcdfSource.open(path);
        if (NumpySource.accepts(path)) return NumpySource.open(path, scratch, arena);
        throw new UserError(path + ": unsupported input; walrus import reads NumPy .npy/.npz files, a folder of .npy"
                + " files, NetCDF-4 .nc files and VTK ImageData .vti files (one per step: a .pvd, a pattern like"
                + " step_*.vti or a folder)");
    }

    /** Trajectories from separate sources: array {@code name} of source n is trajectory n. */
    private record Stacked(List<ArraySource> sources) implements ArraySource {
        public String label() {
            return sources.getFirst().label() + " and " + (sources.size() - 1) + " more";
        }

        public List<String> names() {
            return sources.getFirst().names();
        }

        public SourceArray array(String name) {
            List<SourceArray> arrays = sources.stream().map(s -> s.array(name)).toList();
            long[] shape = arrays.getFirst().shape();
            for (SourceArray a : arrays) {
                if (!Arrays.equals(a.shape(), shape)) {
                    throw new UserError(a.label() + ": shape " + Arrays.toString(a.shape()) + ", but "
                            + arrays.getFirst().label() + " has " + Arrays.toString(shape) + " (inconsistent shapes across files)");
                }
            }
            long[] stacked = new long[shape.length + 1];
            stacked[0] = arrays.size();
            System.arraycopy(shape, 0, stacked, 1, shape.length);
            return new SourceArray() {
                public String label() {
                    return arrays.getFirst().label();
                }

                public long[] shape() {
                    return stacked.clone();
                }

                public double get(long[] index) {
                    return arrays.get(Math.toIntExact(index[0])).get(Arrays.copyOfRange(index, 1, index.length));
                }
            };
        }

        public void close() {
            sources.forEach(ArraySource::close);
        }
    }
}
