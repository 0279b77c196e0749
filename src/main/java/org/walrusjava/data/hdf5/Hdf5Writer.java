package org.walrusjava.data.hdf5;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.walrusjava.data.hdf5.Hdf5Library.H5D_FILL_TIME_ALLOC;
import static org.walrusjava.data.hdf5.Hdf5Library.H5F_ACC_TRUNC;
import static org.walrusjava.data.hdf5.Hdf5Library.H5P_DEFAULT;
import static org.walrusjava.data.hdf5.Hdf5Library.H5S_ALL;
import static org.walrusjava.data.hdf5.Hdf5Library.H5S_SCALAR;
import static org.walrusjava.data.hdf5.Hdf5Library.H5S_SELECT_SET;
import static org.walrusjava.data.hdf5.Hdf5Library.H5T_CSET_UTF8;
import static org.walrusjava.data.hdf5.Hdf5Library.H5T_VARIABLE;

/**
 * Writes groups, attributes and datasets with the storage types h5py gives the corresponding Python values, so that
 * h5py (and code written against it) reads them back as the same Python objects:
 * <ul>
 *   <li>{@code str} -> variable-length UTF-8 string; a list of str -> 1-D array of those;</li>
 *   <li>{@code bool} -> enum {FALSE=0, TRUE=1} over int8;</li>
 *   <li>{@code int} -> little-endian int64; {@code float} -> IEEE float64; float32 data -> IEEE float32;</li>
 *   <li>an empty list -> a float64 array of shape (0,) (what {@code numpy.array([])} is).</li>
 * </ul>
 * Objects are addressed by absolute path ("/t0_fields/density"). Not thread-safe; one writer per file.
 */
public final class Hdf5Writer implements AutoCloseable {
    private final Hdf5Library lib;
    private final long file;
    private final long boolType;
    private final long stringType;
    private boolean closed;

    private Hdf5Writer(Hdf5Library lib, long file) {
        this.lib = lib;
        this.file = file;
        long bool = lib.id("H5Tenum_create", lib.nativeInt8);
        try (Arena arena = Arena.ofConfined()) {
            lib.status("H5Tenum_insert", bool, arena.allocateFrom("FALSE"), arena.allocateFrom(JAVA_BYTE, (byte) 0));
            lib.status("H5Tenum_insert", bool, arena.allocateFrom("TRUE"), arena.allocateFrom(JAVA_BYTE, (byte) 1));
        }
        this.boolType = bool;
        long string = lib.id("H5Tcopy", lib.cString);
        lib.status("H5Tset_size", string, H5T_VARIABLE);
        lib.status("H5Tset_cset", string, H5T_CSET_UTF8);
        this.stringType = string;
    }

    /** Creates (or truncates) {@code path}. */
    public static Hdf5Writer create(Path path) {
        Hdf5Library lib = Hdf5Library.get();
        try (Arena arena = Arena.ofConfined()) {
            long file = lib.id("H5Fcreate", arena.allocateFrom(path.toString()), H5F_ACC_TRUNC, H5P_DEFAULT,
                    H5P_DEFAULT);
            return new Hdf5Writer(lib, file);
        }
    }

    public void createGroup(String path) {
        try (Arena arena = Arena.ofConfined()) {
            long group = lib.id("H5Gcreate2", file, arena.allocateFrom(path), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            lib.status("H5Gclose", group);
        }
    }

    // ---- attributes -------------------------------------------------------------------------------------------

    public void attribute(String object, String name, String value) {
        try (Arena arena = Arena.ofConfined()) {
            writeAttribute(object, name, stringType, new long[0], stringPointers(arena, List.of(value)));
        }
    }

    /** A list of strings; an empty list is stored the way h5py stores {@code []}. */
    public void attribute(String object, String name, List<String> values) {
        try (Arena arena = Arena.ofConfined()) {
            if (values.isEmpty()) {
                writeAttribute(object, name, lib.ieeeF64le, new long[] {0}, null);
            } else {
                writeAttribute(object, name, stringType, new long[] {values.size()}, stringPointers(arena, values));
            }
        }
    }

    public void attribute(String object, String name, long value) {
        try (Arena arena = Arena.ofConfined()) {
            writeAttribute(object, name, lib.stdI64le, new long[0], arena.allocateFrom(JAVA_LONG, value));
        }
    }

    public void attribute(String object, String name, double value) {
        try (Arena arena = Arena.ofConfined()) {
            writeAttribute(object, name, lib.ieeeF64le, new long[0], arena.allocateFrom(JAVA_DOUBLE, value));
        }
    }

    public void attribute(String object, String name, boolean value) {
        try (Arena arena = Arena.ofConfined()) {
            writeAttribute(object, name, boolType, new long[0], arena.allocateFrom(JAVA_BYTE, (byte) (value ? 1 : 0)));
        }
    }

    public void attribute(String object, String name, boolean[] values) {
        try (Arena arena = Arena.ofConfined()) {
            writeAttribute(object, name, boolType, new long[] {values.length}, bytes(arena, values));
        }
    }

    /** Creates the attribute with file type {@code type}; the memory layout of {@code data} is the native twin. */
    private void writeAttribute(String object, String name, long type, long[] shape, MemorySegment data) {
        try (Arena arena = Arena.ofConfined()) {
            long space = dataspace(arena, shape);
            try {
                long attr = lib.id("H5Acreate_by_name", file, arena.allocateFrom(object), arena.allocateFrom(name),
                        type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
                try {
                    if (data != null) {
                        lib.status("H5Awrite", attr, memoryType(type), data);
                    }
                } finally {
                    lib.status("H5Aclose", attr);
                }
            } finally {
                lib.status("H5Sclose", space);
            }
        }
    }

    // ---- datasets ---------------------------------------------------------------------------------------------

    /** A contiguous float32 dataset; an empty shape makes a 0-d (scalar) dataset. */
    public void contiguous(String path, long[] shape, float[] values) {
        try (Arena arena = Arena.ofConfined()) {
            writeContiguous(path, lib.ieeeF32le, shape, arena.allocateFrom(JAVA_FLOAT, values));
        }
    }

    /** A contiguous bool dataset (h5py's enum over int8). */
    public void contiguous(String path, long[] shape, boolean[] values) {
        try (Arena arena = Arena.ofConfined()) {
            writeContiguous(path, boolType, shape, bytes(arena, values));
        }
    }

    private void writeContiguous(String path, long type, long[] shape, MemorySegment data) {
        long dataset = createDataset(path, type, shape, H5P_DEFAULT);
        try {
            lib.status("H5Dwrite", dataset, memoryType(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
        } finally {
            lib.status("H5Dclose", dataset);
        }
    }

    /**
     * A chunked, gzip-compressed float32 dataset, written later slab by slab. Space is allocated per chunk as it is
     * written (HDF5's default for chunked data), with fill values written at allocation like h5py does.
     */
    public ChunkedFloats chunked(String path, long[] shape, long[] chunk, int gzipLevel) {
        long properties = lib.id("H5Pcreate", lib.datasetCreateClass);
        try (Arena arena = Arena.ofConfined()) {
            lib.status("H5Pset_chunk", properties, chunk.length, arena.allocateFrom(JAVA_LONG, chunk));
            lib.status("H5Pset_fill_time", properties, H5D_FILL_TIME_ALLOC);
            lib.status("H5Pset_deflate", properties, gzipLevel);
            return new ChunkedFloats(path, createDataset(path, lib.ieeeF32le, shape, properties), shape.length);
        } finally {
            lib.status("H5Pclose", properties);
        }
    }

    private long createDataset(String path, long type, long[] shape, long properties) {
        try (Arena arena = Arena.ofConfined()) {
            long space = dataspace(arena, shape);
            try {
                return lib.id("H5Dcreate2", file, arena.allocateFrom(path), type, space, H5P_DEFAULT, properties,
                        H5P_DEFAULT);
            } finally {
                lib.status("H5Sclose", space);
            }
        }
    }

    /** An open chunked float32 dataset accepting hyperslab writes. */
    public final class ChunkedFloats implements AutoCloseable {
        private final String path;
        private final long dataset;
        private final int rank;
        private boolean open = true;

        private ChunkedFloats(String path, long dataset, int rank) {
            this.path = path;
            this.dataset = dataset;
            this.rank = rank;
        }

        /** Writes the box [start, start + count) from {@code values} (row-major, exactly prod(count) floats). */
        public void write(long[] start, long[] count, FloatBuffer values) {
            if (start.length != rank || count.length != rank) {
                throw new IllegalArgumentException(path + ": slab rank " + start.length + " != dataset rank " + rank);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = arena.allocate(JAVA_FLOAT, values.remaining());
                data.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values.duplicate());
                long memorySpace = dataspace(arena, count);
                long fileSpace = lib.id("H5Dget_space", dataset);
                try {
                    lib.status("H5Sselect_hyperslab", fileSpace, H5S_SELECT_SET, arena.allocateFrom(JAVA_LONG, start),
                            MemorySegment.NULL, arena.allocateFrom(JAVA_LONG, count), MemorySegment.NULL);
                    lib.status("H5Dwrite", dataset, lib.nativeFloat, memorySpace, fileSpace, H5P_DEFAULT, data);
                } finally {
                    lib.status("H5Sclose", fileSpace);
                    lib.status("H5Sclose", memorySpace);
                }
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                lib.status("H5Dclose", dataset);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private long dataspace(Arena arena, long[] shape) {
        return shape.length == 0
                ? lib.id("H5Screate", H5S_SCALAR)
                : lib.id("H5Screate_simple", shape.length, arena.allocateFrom(JAVA_LONG, shape), MemorySegment.NULL);
    }

    /** The in-memory type matching a file type: native numbers; enum and string types describe memory too. */
    private long memoryType(long fileType) {
        if (fileType == lib.ieeeF32le) {
            return lib.nativeFloat;
        } else if (fileType == lib.ieeeF64le) {
            return lib.nativeDouble;
        } else if (fileType == lib.stdI64le) {
            return lib.nativeInt64;
        }
        return fileType;
    }

    private MemorySegment stringPointers(Arena arena, List<String> values) {
        MemorySegment pointers = arena.allocate(ADDRESS, values.size());
        for (int i = 0; i < values.size(); i++) {
            pointers.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        return pointers;
    }

    private static MemorySegment bytes(Arena arena, boolean[] values) {
        MemorySegment out = arena.allocate(JAVA_BYTE, Math.max(1, values.length));
        for (int i = 0; i < values.length; i++) {
            out.set(JAVA_BYTE, i, (byte) (values[i] ? 1 : 0));
        }
        return out;
    }

    /** Closes the file; everything written becomes durable (HDF5 flushes its caches on close). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                lib.status("H5Tclose", boolType);
                lib.status("H5Tclose", stringType);
            } finally {
                lib.status("H5Fclose", file);
            }
        }
    }
}
