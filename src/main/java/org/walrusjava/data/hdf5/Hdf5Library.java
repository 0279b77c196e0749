package org.walrusjava.data.hdf5;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.walrusjava.UserError;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The HDF5 C library (1.10 or newer), called through java.lang.foreign. Only the handful of functions needed to
 * write Well files are bound; {@link Hdf5Writer} is the typed layer on top.
 *
 * <p>Which library: the file named by {@code -Dwalrus.hdf5.library=PATH} or {@code WALRUS_HDF5_LIB=PATH}; else
 * HDF5 1.14.3 from bytedeco's jar on the classpath ({@link BundledHdf5}); else, on platforms without that jar, the
 * system's (Debian/Ubuntu ship it with python3-h5py as {@code libhdf5_serial.so.103} or {@code .310}). The bundled
 * one comes before the system's so that every machine writes files with the same HDF5 release, the one the tests
 * ran against, whatever the distribution happens to have installed. From 1.10 on, {@code hid_t} is 64-bit, which
 * the bindings below assume; older libraries are refused.
 *
 * <p>Every call is serialised on this object: serial HDF5 builds are not thread-safe, and a thread-safe build
 * takes its own global lock anyway. Failures become {@link Hdf5Exception} carrying HDF5's own error stack text
 * (its automatic printing to stderr is switched off).
 */
public final class Hdf5Library {
    /** System property and environment variable naming the library file explicitly. */
    public static final String LIBRARY_PROPERTY = "walrus.hdf5.library";
    public static final String LIBRARY_ENV = "WALRUS_HDF5_LIB";

    /**
     * Tried in order when nothing is named and nothing is bundled: Debian/Ubuntu serial builds, generic builds, then
     * Homebrew's, which lives outside the directories macOS's dlopen searches by default.
     */
    static final List<String> SYSTEM_NAMES = List.of(
            "libhdf5_serial.so.103", "libhdf5_serial.so.310", "libhdf5_serial.so",
            "libhdf5.so.310", "libhdf5.so.103", "libhdf5.so", "libhdf5.dylib", "/opt/homebrew/lib/libhdf5.dylib");

    // Constants of the C API that are plain numbers (stable since 1.10).
    static final long H5P_DEFAULT = 0;
    static final long H5S_ALL = 0;
    static final long H5E_DEFAULT = 0;
    static final int H5F_ACC_TRUNC = 0x0002;
    static final int H5S_SCALAR = 0;
    static final int H5S_SELECT_SET = 0;
    static final int H5T_CSET_UTF8 = 1;
    static final long H5T_VARIABLE = -1L; // (size_t) -1
    static final int H5D_FILL_TIME_ALLOC = 0;
    static final int H5E_WALK_DOWNWARD = 1;

    private static volatile Hdf5Library instance;

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup symbols;
    private final String source;
    private final Map<String, MethodHandle> handles = new HashMap<>();
    private final String version;

    // Predefined type and property-class ids: global variables, valid only after H5open().
    final long nativeFloat;
    final long nativeDouble;
    final long nativeInt64;
    final long nativeInt8;
    final long ieeeF32le;
    final long ieeeF64le;
    final long stdI64le;
    final long cString;
    final long datasetCreateClass;

    private Hdf5Library(SymbolLookup symbols, String source) {
        this.symbols = symbols;
        this.source = source;
        status("H5open");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT, 3);
            status("H5get_libversion", v, v.asSlice(4), v.asSlice(8));
            int major = v.getAtIndex(JAVA_INT, 0), minor = v.getAtIndex(JAVA_INT, 1);
            version = major + "." + minor + "." + v.getAtIndex(JAVA_INT, 2);
            if (major < 1 || (major == 1 && minor < 10)) {
                throw new UserError(source + ": HDF5 " + version + " is too old, walrus needs HDF5 1.10 or newer");
            }
        }
        // Errors are reported through Hdf5Exception with the stack text; no printing from inside the library.
        status("H5Eset_auto2", H5E_DEFAULT, MemorySegment.NULL, MemorySegment.NULL);
        nativeFloat = globalId("H5T_NATIVE_FLOAT_g");
        nativeDouble = globalId("H5T_NATIVE_DOUBLE_g");
        nativeInt64 = globalId("H5T_NATIVE_LLONG_g");
        nativeInt8 = globalId("H5T_NATIVE_SCHAR_g");
        ieeeF32le = globalId("H5T_IEEE_F32LE_g");
        ieeeF64le = globalId("H5T_IEEE_F64LE_g");
        stdI64le = globalId("H5T_STD_I64LE_g");
        cString = globalId("H5T_C_S1_g");
        datasetCreateClass = globalId("H5P_CLS_DATASET_CREATE_ID_g");
    }

    /** The process-wide library, loaded on first use; a clear UserError when it cannot be found. */
    public static Hdf5Library get() {
        Hdf5Library lib = instance;
        if (lib == null) {
            synchronized (Hdf5Library.class) {
                if (instance == null) {
                    instance = load(Optional.ofNullable(System.getProperty(LIBRARY_PROPERTY))
                            .orElse(System.getenv(LIBRARY_ENV)));
                }
                lib = instance;
            }
        }
        return lib;
    }

    /** "HDF5 1.10.8 (libhdf5_serial.so.103)". */
    public String describe() {
        return "HDF5 " + version + " (" + source + ")";
    }

    /** Loads the library file {@code named}, or when that is null the bundled library, else a system one. */
    static Hdf5Library load(String named) {
        if (named != null && !named.isBlank()) {
            if (!Files.isRegularFile(Path.of(named))) {
                throw new UserError(named + ": HDF5 library not found (named by " + LIBRARY_PROPERTY + " / "
                        + LIBRARY_ENV + ")");
            }
            return open(Path.of(named));
        }
        String noBundle;
        try {
            Optional<Path> bundled = BundledHdf5.extract(BundledHdf5.defaultCacheRoot());
            if (bundled.isPresent()) {
                return open(bundled.get());
            }
            noBundle = "no HDF5 is bundled for " + BundledHdf5.platform();
        } catch (UncheckedIOException e) {
            noBundle = e.getMessage();
        }
        Optional<Hdf5Library> system = system();
        if (system.isPresent()) {
            return system.get();
        }
        throw new UserError("libhdf5: " + noBundle + " and no system HDF5 C library (1.10 or newer) was found;"
                + " install it (Debian/Ubuntu: apt-get install libhdf5-dev, macOS: brew install hdf5) or set "
                + LIBRARY_ENV + "=/path/to/libhdf5.so");
    }

    /** The first of {@link #SYSTEM_NAMES} that the dynamic loader finds. */
    static Optional<Hdf5Library> system() {
        for (String name : SYSTEM_NAMES) {
            try {
                return Optional.of(new Hdf5Library(SymbolLookup.libraryLookup(name, Arena.global()), name));
            } catch (IllegalArgumentException notInstalled) {
                // try the next name
            }
        }
        return Optional.empty();
    }

    /** Loads the library file {@code file}. */
    static Hdf5Library open(Path file) {
        try {
            return new Hdf5Library(SymbolLookup.libraryLookup(file, Arena.global()), file.toString());
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": cannot load as a shared library: " + e.getMessage(), e);
        }
    }

    private long globalId(String symbol) {
        MemorySegment address = symbols.find(symbol)
                .orElseThrow(() -> new UserError(source + ": not an HDF5 library (no symbol " + symbol + ")"));
        return address.reinterpret(JAVA_LONG.byteSize()).get(JAVA_LONG, 0);
    }

    /** C signatures of the functions bound (hid_t, hsize_t, size_t are 64-bit; herr_t, unsigned and enums int). */
    private static final Map<String, FunctionDescriptor> SIGNATURES = Map.ofEntries(
            Map.entry("H5open", status()),
            Map.entry("H5get_libversion", status(ADDRESS, ADDRESS, ADDRESS)),
            Map.entry("H5Eset_auto2", status(JAVA_LONG, ADDRESS, ADDRESS)),
            Map.entry("H5Ewalk2", status(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("H5Eclear2", status(JAVA_LONG)),
            Map.entry("H5Fcreate", id(ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG)),
            Map.entry("H5Fclose", status(JAVA_LONG)),
            Map.entry("H5Gcreate2", id(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("H5Gclose", status(JAVA_LONG)),
            Map.entry("H5Screate", id(JAVA_INT)),
            Map.entry("H5Screate_simple", id(JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("H5Sselect_hyperslab", status(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
            Map.entry("H5Sclose", status(JAVA_LONG)),
            Map.entry("H5Tcopy", id(JAVA_LONG)),
            Map.entry("H5Tset_size", status(JAVA_LONG, JAVA_LONG)),
            Map.entry("H5Tset_cset", status(JAVA_LONG, JAVA_INT)),
            Map.entry("H5Tenum_create", id(JAVA_LONG)),
            Map.entry("H5Tenum_insert", status(JAVA_LONG, ADDRESS, ADDRESS)),
            Map.entry("H5Tclose", status(JAVA_LONG)),
            Map.entry("H5Pcreate", id(JAVA_LONG)),
            Map.entry("H5Pset_chunk", status(JAVA_LONG, JAVA_INT, ADDRESS)),
            Map.entry("H5Pset_deflate", status(JAVA_LONG, JAVA_INT)),
            Map.entry("H5Pset_fill_time", status(JAVA_LONG, JAVA_INT)),
            Map.entry("H5Pclose", status(JAVA_LONG)),
            Map.entry("H5Dcreate2", id(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("H5Dget_space", id(JAVA_LONG)),
            Map.entry("H5Dwrite", status(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS)),
            Map.entry("H5Dclose", status(JAVA_LONG)),
            Map.entry("H5Acreate_by_name",
                    id(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("H5Awrite", status(JAVA_LONG, JAVA_LONG, ADDRESS)),
            Map.entry("H5Aclose", status(JAVA_LONG)));

    private static FunctionDescriptor id(MemoryLayout... args) {
        return FunctionDescriptor.of(JAVA_LONG, args);
    }

    private static FunctionDescriptor status(MemoryLayout... args) {
        return FunctionDescriptor.of(JAVA_INT, args);
    }

    private MethodHandle handle(String function) {
        synchronized (handles) {
            return handles.computeIfAbsent(function, f -> linker.downcallHandle(
                    symbols.find(f).orElseThrow(() -> new UserError(source + ": HDF5 function " + f + " missing")),
                    SIGNATURES.get(f)));
        }
    }

    /** Calls a function returning an id ({@code hid_t}); a negative id raises Hdf5Exception. */
    synchronized long id(String function, Object... args) {
        long id = (long) call(function, args);
        if (id < 0) {
            throw failure(function);
        }
        return id;
    }

    /** Calls a function returning {@code herr_t}; a negative status raises Hdf5Exception. */
    synchronized void status(String function, Object... args) {
        if ((int) call(function, args) < 0) {
            throw failure(function);
        }
    }

    private Object call(String function, Object... args) {
        try {
            return handle(function).invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(function + ": " + t, t);
        }
    }

    // struct H5E_error2_t { hid_t cls_id, maj_num, min_num; unsigned line; const char *func_name, *file_name, *desc; }
    private static final StructLayout ERROR_RECORD = MemoryLayout.structLayout(
            JAVA_LONG.withName("cls_id"), JAVA_LONG.withName("maj_num"), JAVA_LONG.withName("min_num"),
            JAVA_INT.withName("line"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("func_name"), ADDRESS.withName("file_name"), ADDRESS.withName("desc"));

    /** Reads HDF5's error stack (outermost call first) into one line, then clears it. */
    private Hdf5Exception failure(String function) {
        List<String> messages = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle collect = MethodHandles.lookup().findStatic(Hdf5Library.class, "collectError",
                    MethodType.methodType(int.class, List.class, int.class, MemorySegment.class, MemorySegment.class))
                    .bindTo(messages);
            MemorySegment walker = linker.upcallStub(collect,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS.withTargetLayout(ERROR_RECORD), ADDRESS), arena);
            call("H5Ewalk2", H5E_DEFAULT, H5E_WALK_DOWNWARD, walker, MemorySegment.NULL);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        call("H5Eclear2", H5E_DEFAULT);
        // The outermost entry names the API call, the innermost the cause; the ones between add little.
        List<String> shown = messages.size() <= 2 ? messages : List.of(messages.getFirst(), messages.getLast());
        return new Hdf5Exception(function + " failed" + (shown.isEmpty() ? "" : ": " + String.join("; ", shown)));
    }

    @SuppressWarnings("unused") // upcall target of H5Ewalk2
    private static int collectError(List<String> messages, int index, MemorySegment record, MemorySegment unused) {
        MemorySegment desc = record.get(ADDRESS, ERROR_RECORD.byteOffset(MemoryLayout.PathElement.groupElement("desc")));
        MemorySegment func = record.get(ADDRESS,
                ERROR_RECORD.byteOffset(MemoryLayout.PathElement.groupElement("func_name")));
        String text = cString(func) + "(): " + cString(desc);
        if (!messages.contains(text)) {
            messages.add(text);
        }
        return 0;
    }

    private static String cString(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? "?" : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
