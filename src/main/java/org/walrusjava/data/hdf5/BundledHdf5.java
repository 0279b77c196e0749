package org.walrusjava.data.hdf5;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The HDF5 C library that ships in bytedeco's {@code org.bytedeco:hdf5} jar for this platform (pom.xml puts it on the
 * classpath). A shared library cannot be loaded from inside a jar, so it is copied once to a cache directory keyed by
 * the artifact's version and platform, and loaded from there by path.
 *
 * <p>Only the plain C library is used, never the jar's JavaCPP classes, so the JavaCPP release it was built for does
 * not have to match ours: it needs nothing but libz and libc.
 */
final class BundledHdf5 {
    private static final String PACKAGE = "org/bytedeco/hdf5/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.bytedeco/hdf5/pom.properties";

    private BundledHdf5() {}

    /**
     * The library file under {@code cacheRoot}, copied there on first use; empty when the classpath holds no HDF5
     * build for this platform (macOS arm64, or a platform the pom has no profile for).
     */
    static Optional<Path> extract(Path cacheRoot) {
        String platform = platform();
        String resource = PACKAGE + platform + "/" + fileName();
        ClassLoader loader = BundledHdf5.class.getClassLoader();
        if (loader.getResource(resource) == null) {
            return Optional.empty();
        }
        Path target = cacheRoot.resolve("hdf5").resolve(version(loader)).resolve(platform).resolve(fileName());
        if (Files.isRegularFile(target)) {
            return Optional.of(target);
        }
        Path temporary = null;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            Files.createDirectories(target.getParent());
            // Copy under a private name, then rename: a process loading the library at the same moment (another test
            // JVM, a second walrus) sees either no file or the whole file, never a partly written one.
            temporary = Files.createTempFile(target.getParent(), fileName(), ".part");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(target);
        } catch (IOException e) {
            try {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException ignored) {
                // the copy's own failure is the one worth reporting
            }
            throw new UncheckedIOException(target.getParent() + ": cannot copy the bundled HDF5 library there: " + e,
                    e);
        }
    }

    /** The default cache: {@code $XDG_CACHE_HOME/walrus-java}, else {@code ~/.cache/walrus-java}. */
    static Path defaultCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("walrus-java");
    }

    /** bytedeco's name for this platform, as in the jar's classifier ("linux-x86_64", "macosx-arm64"). */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            case String other -> other;
        };
        return (os.startsWith("mac") ? "macosx" : os) + "-" + arch;
    }

    /** 310 is the ABI number of HDF5 1.14; it changes only with hdf5.version in pom.xml. */
    private static String fileName() {
        return platform().startsWith("macosx") ? "libhdf5.310.dylib" : "libhdf5.so.310";
    }

    private static String version(ClassLoader loader) {
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(POM_PROPERTIES + " missing: the org.bytedeco:hdf5 jar is incomplete");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(POM_PROPERTIES + ": " + e, e);
        }
        return pom.getProperty("version");
    }
}
