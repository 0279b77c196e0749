package org.walrusjava.importer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.walrusjava.StagedFolder;
import org.walrusjava.data.WellFile;

/**
 * The import half of {@code walrus bench data}: how fast {@code walrus import} turns NumPy and VTK files into a Well
 * dataset root. It writes the same data (density and a 2-D velocity) as a deflated {@code .npz} and as one
 * zlib-compressed appended-raw {@code .vti} per step (ParaView's default layout), imports each and reports MB/s of
 * float32 source values; the time includes writing the gzip-chunked HDF5 files and the stats.yaml pass. Values are
 * spot-checked in the result.
 */
public final class ImportBenchmark {
    private static final long MB = 1 << 20;

    /** A grid x grid, {@code trajectories} x {@code steps} data set. */
    public record Options(int grid, int trajectories, int steps) {
        /** 4 trajectories x 40 steps of 256x256, 3 channels: 120 MB of float32. */
        public static Options standard() {
            return new Options(256, 4, 40);
        }
    }

    /** MB/s of float32 source values imported, per format. */
    public record Report(long sourceBytes, double npzMBs, double vtiMBs) {
    }

    private ImportBenchmark() {}

    public static Report run(PrintStream out) {
        try (StagedFolder scratch = StagedFolder.create(Path.of(System.getProperty("java.io.tmpdir"), "walrus-bench-import"), true)) {
            return run(out, Options.standard(), scratch.path());
        }
    }

    public static Report run(PrintStream out, Options o, Path dir) {
        long bytes = 4L * 3 * o.trajectories() * o.steps() * o.grid() * o.grid();
        out.printf(Locale.ROOT, "walrus bench data, import: %d trajectories x %d steps, %dx%d grid, 3 channels: %d MB of"
                + " float32%n", o.trajectories(), o.steps(), o.grid(), o.grid(), bytes / MB);
        try {
            writeNpz(o, dir.resolve("bench.npz"));
            for (int n = 0; n < o.trajectories(); n++) {
                for (int t = 0; t < o.steps(); t++) writeVti(o, n, t, dir.resolve("vti" + n).resolve("step_" + t + ".vti"));
            }
            Files.writeString(dir.resolve("npz.yaml"), mapping("bench.npz", "traj, time, x, y", "{arrays: [u, v]}"));
            Files.writeString(dir.resolve("vti.yaml"), mapping(String.join(", ", IntStream
                    .range(0, o.trajectories()).mapToObj(n -> "\"vti" + n + "/step_*.vti\"").toList()), "traj, time, x, y",
                    "{array: velocity, axes: [traj, time, x, y, channel], channels: [0, 1]}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double npz = importRate(out, "npz (deflated, one array per field)", dir.resolve("npz.yaml"), dir.resolve("npz_root"), bytes);
        double vti = importRate(out, "vti (appended raw, zlib, one file per step)", dir.resolve("vti.yaml"),
                dir.resolve("vti_root"), bytes);
        return new Report(bytes, npz, vti);
    }

    private static String mapping(String source, String axes, String velocity) {
        return "dataset: bench_import\nsource: [" + source + "]\naxes: [" + axes + "]\n"
                + "grid: {x: {spacing: 1.0}, y: {spacing: 1.0}}\ntime: {dt: 0.1}\n"
                + "boundaries: {x: PERIODIC, y: PERIODIC}\n"
                + "fields:\n  density: {array: rho}\n  velocity: " + velocity + "\n"
                + "splits: {train: 0.5, valid: 0.25, test: 0.25, seed: 0}\n";
    }

    private static double importRate(PrintStream out, String what, Path mapping, Path root, long bytes) {
        long start = System.nanoTime();
        DatasetImporter.Result result = DatasetImporter.run(ImportMapping.load(mapping), root, false, false, (d, t) -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = result.trajectoriesBySplit().get("train").getFirst();
        try (WellFile w = WellFile.open(result.files().get("train"))) {
            float[] frame = w.readFrames(w.field("density"), 0, 1, 1, 1);
            int grid = w.spatialResolution()[1];
            int i = grid / 3, j = grid / 5;
            if (frame[i * grid + j] != value(0, n, 1, i, j)) {
                throw new IllegalStateException("bench import: density differs from what was written");
            }
        }
        out.printf(Locale.ROOT, "  import %-45s %6.1f MB/s (%.1f s)%n", what, bytes / (double) MB / seconds, seconds);
        return bytes / (double) MB / seconds;
    }

    /** Channel c (0 density, 1 and 2 velocity) of trajectory n at step t, grid point (i, j). */
    static float value(int c, int n, int t, int i, int j) {
        return (float) (Math.sin(0.05 * i + 0.3 * n + 0.1 * t + c) * Math.cos(0.07 * j) + (c == 0 ? 2 : 0));
    }

    private static void writeNpz(Options o, Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(Deflater.BEST_SPEED);
            String[] names = {"rho", "u", "v"};
            for (int c = 0; c < 3; c++) {
                zip.putNextEntry(new ZipEntry(names[c] + ".npy"));
                writeNpy(zip, o, c);
                zip.closeEntry();
            }
        }
    }

    /** A C-order little-endian float32 .npy array [traj, time, x, y] (npy format version 1.0). */
    private static void writeNpy(OutputStream out, Options o, int c) throws IOException {
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, %d, %d), }",
                o.trajectories(), o.steps(), o.grid(), o.grid());
        int padded = (10 + dict.length() + 1 + 63) / 64 * 64; // header padded with spaces to 64 bytes, ends in \n
        String header = dict + " ".repeat(padded - 10 - dict.length() - 1) + "\n";
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer frame = ByteBuffer.allocate(4 * o.grid() * o.grid()).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < o.trajectories(); n++) {
            for (int t = 0; t < o.steps(); t++) {
                frame.clear();
                for (int i = 0; i < o.grid(); i++) for (int j = 0; j < o.grid(); j++) frame.putFloat(value(c, n, t, i, j));
                out.write(frame.array());
            }
        }
    }

    /** One step as ParaView writes it: appended raw data, zlib-compressed in one block, UInt32 headers. */
    private static void writeVti(Options o, int n, int t, Path file) throws IOException {
        int g = o.grid();
        ByteBuffer rho = ByteBuffer.allocate(4 * g * g).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer velocity = ByteBuffer.allocate(12 * g * g).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < g; j++) {
            for (int i = 0; i < g; i++) { // VTK order: x fastest
                rho.putFloat(value(0, n, t, i, j));
                velocity.putFloat(value(1, n, t, i, j)).putFloat(value(2, n, t, i, j)).putFloat(0);
            }
        }
        byte[] first = compressedBlock(rho.array());
        byte[] second = compressedBlock(velocity.array());
        String xml = "<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\""
                + " header_type=\"UInt32\" compressor=\"vtkZLibDataCompressor\">\n"
                + "<ImageData WholeExtent=\"0 " + (g - 1) + " 0 " + (g - 1) + " 0 0\" Origin=\"0 0 0\" Spacing=\"1 1 1\">\n"
                + "<Piece Extent=\"0 " + (g - 1) + " 0 " + (g - 1) + " 0 0\">\n<PointData>\n"
                + "<DataArray type=\"Float32\" Name=\"rho\" format=\"appended\" offset=\"0\"/>\n"
                + "<DataArray type=\"Float32\" Name=\"velocity\" NumberOfComponents=\"3\" format=\"appended\" offset=\""
                + first.length + "\"/>\n</PointData>\n</Piece>\n</ImageData>\n<AppendedData encoding=\"raw\">\n_";
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(xml.getBytes(StandardCharsets.US_ASCII));
            out.write(first);
            out.write(second);
            out.write("\n</AppendedData>\n</VTKFile>\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** {@code raw} as one zlib block behind VTK's header: [#blocks = 1][block size][last block size][compressed size]. */
    private static byte[] compressedBlock(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) z.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        byte[] compressed = z.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(16 + compressed.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(1).putInt(raw.length).putInt(raw.length).putInt(compressed.length).put(compressed);
        return out.array();
    }
}
