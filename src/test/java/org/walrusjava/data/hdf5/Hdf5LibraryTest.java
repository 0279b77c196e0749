package org.walrusjava.data.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;

class Hdf5LibraryTest {
    @TempDir
    Path dir;

    /** Where pom.xml's hdf5.version lands in a cache directory. */
    private static final Path BUNDLE = Path.of("hdf5", "1.14.3-1.5.10", BundledHdf5.platform());

    @Test
    void withNothingNamedTheBundledHdf51143IsLoaded() {
        String description = Hdf5Library.load(null).describe();
        Path expected = BundledHdf5.defaultCacheRoot().resolve(BUNDLE).resolve("libhdf5.so.310");
        assertEquals("HDF5 1.14.3 (" + expected + ")", description);
    }

    @Test
    void bundledLibraryIsCopiedOnceWithNoTemporaryLeftBehind() throws IOException {
        Path library = BundledHdf5.extract(dir).orElseThrow();
        assertEquals(dir.resolve(BUNDLE).resolve("libhdf5.so.310"), library);
        long size;
        try (InputStream in = BundledHdf5.class.getClassLoader()
                .getResourceAsStream("org/bytedeco/hdf5/" + BundledHdf5.platform() + "/libhdf5.so.310")) {
            size = in.readAllBytes().length;
        }
        assertEquals(size, Files.size(library));
        assertTrue(size > 1_000_000, "libhdf5 is a few MB, got " + size);
        FileTime copied = Files.getLastModifiedTime(library);

        assertEquals(library, BundledHdf5.extract(dir).orElseThrow());
        assertEquals(copied, Files.getLastModifiedTime(library), "the second call reuses the copy");
        try (Stream<Path> files = Files.list(library.getParent())) {
            assertEquals(List.of(library), files.toList());
        }
        assertEquals("HDF5 1.14.3 (" + library + ")", Hdf5Library.open(library).describe());
    }

    @Test
    void systemLibraryWhenInstalledIsAtLeast110() {
        Optional<Hdf5Library> system = Hdf5Library.system();
        // Once the bundled copy is loaded (other tests here load it), the dynamic loader answers its soname with it.
        assumeTrue(system.isPresent() && !system.get().describe().endsWith("(libhdf5.so.310)"),
                "no system libhdf5 installed besides the bundled one (python3-h5py or libhdf5-dev brings one)");
        String description = system.get().describe();
        assertTrue(description.matches("HDF5 1\\.(1\\d|[2-9]\\d)\\.\\d+ \\(libhdf5.*\\)"), description);
    }

    @Test
    void namedLibraryThatDoesNotExistIsAOneLineUserError() {
        UserError e = assertThrows(UserError.class, () -> Hdf5Library.load("/nonexistent/libhdf5.so"));
        assertEquals("/nonexistent/libhdf5.so: HDF5 library not found (named by walrus.hdf5.library /"
                + " WALRUS_HDF5_LIB)", e.getMessage());
    }

    @Test
    void namedLibraryThatIsNotHdf5IsAUserError() {
        String libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so").toString();
        UserError e = assertThrows(UserError.class, () -> Hdf5Library.load(libjava));
        assertEquals(libjava + ": HDF5 function H5open missing", e.getMessage());
    }

    @Test
    void failedCallCarriesHdf5sOwnReason() {
        try (Hdf5Writer writer = Hdf5Writer.create(dir.resolve("a.h5"))) {
            writer.createGroup("/g");
            Hdf5Exception e = assertThrows(Hdf5Exception.class, () -> writer.createGroup("/g"));
            // The outermost and innermost entries of the stack; 1.10 says "unable to create group" at the top.
            assertTrue(e.getMessage().matches("H5Gcreate2 failed: H5Gcreate2\\(\\): unable to (synchronously )?create"
                    + " group; H5L__link_cb\\(\\): name already exists"), e.getMessage());
        }
    }
}
