package org.walrusjava.data.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;

class Hdf5LibraryTest {
    @TempDir
    Path dir;

    @Test
    void systemLibraryIsFoundAndIsAtLeast110() {
        String description = Hdf5Library.get().describe();
        assertTrue(description.matches("HDF5 (1\\.(1\\d)|[2-9])\\..*"), description);
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
            assertTrue(e.getMessage().startsWith("H5Gcreate2 failed: H5Gcreate2(): unable to create group"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("name already exists"), e.getMessage());
        }
    }
}
