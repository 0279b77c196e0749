package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The h5py-written Well fixtures (../shared/fixtures/well) and their ground-truth sidecars. */
final class WellFixtures {
    private WellFixtures() {}

    static Path root() {
        String base = System.getProperty("walrus.fixtures");
        assertTrue(base != null, "system property walrus.fixtures is not set (surefire sets it)");
        Path well = Path.of(base, "well");
        assertTrue(Files.isDirectory(well), "fixtures missing: " + well);
        return well;
    }

    static Path dataset(String name) {
        return root().resolve("datasets").resolve(name);
    }

    /** Every fixture HDF5 file that has a `.truth.json` sidecar: all splits of all datasets, plus the dummy file. */
    static List<Path> allFiles() {
        try (Stream<Path> walk = Files.walk(root())) {
            List<Path> files = walk.filter(p -> p.toString().endsWith(".hdf5")).sorted().toList();
            assertTrue(files.size() >= 11, "expected the 10 dataset files and the dummy, found " + files);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sidecar(Path hdf5) {
        return hdf5.resolveSibling(hdf5.getFileName().toString().replace(".hdf5", ".truth.json"));
    }
}
