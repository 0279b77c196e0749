package org.walrusjava.importer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.walrusjava.UserError;

/**
 * NumPy arrays: one {@code .npy} file (its array is named after the file), a folder of {@code .npy} files, or an
 * {@code .npz} archive (stored or deflated, as {@code np.savez} and {@code np.savez_compressed} write it). Archive
 * members are unpacked to {@code scratch} when first used, so that they too can be memory-mapped.
 */
final class NumpySource implements ArraySource {
    private final Path path;
    private final Map<String, Path> npyFiles;
    private final Map<String, ZipEntry> members;
    private final ZipFile zip;
    private final Path scratch;
    private final Arena arena;
    private final Map<String, NpyArray> opened = new HashMap<>();

    private NumpySource(Path path, Map<String, Path> npyFiles, ZipFile zip, Map<String, ZipEntry> members,
                        Path scratch, Arena arena) {
        this.path = path;
        this.npyFiles = npyFiles;
        this.zip = zip;
        this.members = members;
        this.scratch = scratch;
        this.arena = arena;
    }

    static boolean accepts(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".npy") || name.endsWith(".npz") || Files.isDirectory(path);
    }

    /** Opens {@code path}; the archive stays open and mapped arrays valid until {@code arena} closes. */
    static NumpySource open(Path path, Path scratch, Arena arena) {
        String name = path.getFileName().toString();
        if (name.endsWith(".npz")) {
            try {
                ZipFile zip = new ZipFile(path.toFile());
                Map<String, ZipEntry> members = new LinkedHashMap<>();
                zip.stream().filter(e -> e.getName().endsWith(".npy"))
                        .forEach(e -> members.put(e.getName().substring(0, e.getName().length() - 4), e));
                return new NumpySource(path, Map.of(), zip, members, scratch, arena);
            } catch (ZipException e) {
                throw new UserError(path + ": not an .npz archive (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new UserError(path + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        Map<String, Path> files = new LinkedHashMap<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> list = Files.list(path)) {
                list.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted()
                        .forEach(p -> files.put(stem(p), p));
            } catch (IOException e) {
                throw new UserError(path + ": cannot list (" + e.getMessage() + ")", e);
            }
            if (files.isEmpty()) throw new UserError(path + ": no .npy files in this folder");
        } else if (Files.isRegularFile(path)) {
            files.put(stem(path), path);
        } else {
            throw new UserError(path + ": no such file or folder");
        }
        return new NumpySource(path, files, null, Map.of(), scratch, arena);
    }

    @Override
    public String label() {
        return path.toString();
    }

    @Override
    public List<String> names() {
        return List.copyOf(zip != null ? members.keySet() : npyFiles.keySet());
    }

    @Override
    public SourceArray array(String name) {
        return opened.computeIfAbsent(name, this::openArray);
    }

    private NpyArray openArray(String name) {
        if (zip == null) {
            Path file = npyFiles.get(name);
            if (file == null) throw missing(name);
            return NpyArray.open(file, file.toString(), arena);
        }
        ZipEntry member = members.get(name);
        if (member == null) throw missing(name);
        String label = path + ":" + name;
        Path unpacked = scratch.resolve(opened.size() + "-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".npy");
        try (InputStream in = zip.getInputStream(member)) {
            Files.createDirectories(scratch);
            Files.copy(in, unpacked, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError(label + ": cannot unpack (" + e.getMessage() + ")", e);
        }
        return NpyArray.open(unpacked, label, arena);
    }

    private UserError missing(String name) {
        return new UserError(path + ": no array '" + name + "' (arrays: " + String.join(", ", names()) + ")");
    }

    /** Closes the archive (mapped arrays are released with the arena). */
    @Override
    public void close() {
        if (zip == null) return;
        try {
            zip.close();
        } catch (IOException ignored) {
            // read-only archive: nothing can be lost by a failed close
        }
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
    }
}
