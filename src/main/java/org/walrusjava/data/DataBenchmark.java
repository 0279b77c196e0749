package org.walrusjava.data;

import io.jhdf.HdfFile;
import io.jhdf.api.dataset.ChunkedDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.walrusjava.data.WellSpec.Field;

/**
 * {@code walrus bench data}: how fast Well data can be fed to training. Writes a gzip-chunked Well file of at least
 * 512 MB with {@link WellWriter}, then reads it back the two ways training and rollouts do, through jhdf:
 * <ul>
 *   <li>training windows: T = 6 input + 1 output frames at a random time stride in [1, 4] from a random
 *       trajectory, every field;</li>
 *   <li>whole trajectories: every step of a trajectory, every field.</li>
 * </ul>
 * Each is measured with jhdf's hyperslab reads ({@code Dataset.getData(offset, shape)}) and with whole-chunk reads
 * ({@code ChunkedDataset.getDecompressedChunk}, one chunk = one frame, decoded in parallel), reporting windows/s
 * and MB/s of float32 values delivered. When /usr/bin/python3 has h5py, h5py's whole-dataset read rate on the same
 * file is the reference. Every value read is checked against the generator. The file is read right after being
 * written, so it is in the page cache: the rates are decode rates, not disk rates.
 */
public final class DataBenchmark {
    static final int N_IN = 6;
    static final int N_OUT = 1;
    static final int MAX_STRIDE = 4;
    private static final long MB = 1 << 20;

    /** Size of the generated file and how long to read. */
    public record Options(int grid, int trajectories, int steps, int windows, int wholeTrajectories) {
        public Options {
            int longestWindow = 1 + MAX_STRIDE * (N_IN + N_OUT - 1);
            if (steps < longestWindow) {
                throw new IllegalArgumentException("bench data needs at least " + longestWindow + " steps");
            }
        }

        /** 8 trajectories x 96 steps of a 256x256 grid with 4 channels: 805 MB of float32, >= 512 MB gzipped. */
        public static Options standard() {
            return new Options(256, 8, 96, 200, 4);
        }
    }

    /** Rates measured; {@code h5pyMBs} is empty when h5py is not available. */
    public record Report(long fileBytes, double writeMBs, Rate windowsHyperslab, Rate windowsChunks,
                         Rate trajectoriesHyperslab, Rate trajectoriesChunks, Optional<Double> h5pyMBs,
                         long valuesChecked) {
    }

    /** {@code units} windows or trajectories and {@code bytes} of float32 delivered in {@code seconds}. */
    public record Rate(long units, long bytes, double seconds) {
        double perSecond() {
            return units / seconds;
        }

        double mbPerSecond() {
            return bytes / (double) MB / seconds;
        }
    }

    private DataBenchmark() {
    }

    /** The standard benchmark in a temporary directory, deleted afterwards. */
    public static Report run(PrintStream out) {
        Path dir;
        try {
            dir = Files.createTempDirectory("walrus-bench-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return run(out, Options.standard(), dir);
        } finally {
            deleteTree(dir);
        }
    }

    public static Report run(PrintStream out, Options options, Path dir) {
        WellSpec spec = spec(options);
        Path file = dir.resolve("bench_data.hdf5");
        long rawBytes = spec.fields().stream().mapToLong(f -> 4L * f.frameLength(spec) * f.frameCount(spec)).sum();
        out.printf(Locale.ROOT, "walrus bench data: %d trajectories x %d steps, %dx%d grid, %d channels: %d MB of"
                        + " float32, gzip level %d, one chunk per frame%n", options.trajectories(), options.steps(),
                options.grid(), options.grid(), channels(spec), rawBytes / MB, WellWriter.GZIP_LEVEL);
        // Rates are wall-clock: on a shared machine they say as much about the neighbours as about the code.
        out.printf(Locale.ROOT, "  %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        double writeMBs = write(out, spec, file, rawBytes);
        long fileBytes = size(file);
        out.printf(Locale.ROOT, "  file: %d MB on disk (%.2f of raw), written at %.1f MB/s%n", fileBytes / MB,
                fileBytes / (double) rawBytes, writeMBs);

        long[] checked = new long[1];
        Rate windowsHyperslab;
        Rate windowsChunks;
        Rate trajectoriesHyperslab;
        Rate trajectoriesChunks;
        try (HdfFile hdf = new HdfFile(file)) {
            List<FieldData> fields = spec.fields().stream()
                    .map(f -> new FieldData(f, (ChunkedDataset) hdf.getDatasetByPath("t" + f.rank() + "_fields/"
                            + f.name()), Arrays.stream(f.frameShape(spec)).mapToInt(Math::toIntExact).toArray(),
                            f.frameLength(spec))).toList();
            List<int[]> windows = windows(options, spec.nSteps());
            windowsHyperslab = measure(windows, w -> readWindow(fields, w, DataBenchmark::hyperslab, checked));
            report(out, "training windows (6+1, stride 1-4), jhdf hyperslabs  ", windowsHyperslab, "windows");
            windowsChunks = measure(windows, w -> readWindow(fields, w, DataBenchmark::chunk, checked));
            report(out, "training windows (6+1, stride 1-4), parallel chunks  ", windowsChunks, "windows");
            List<int[]> trajectories = IntStream.range(0, options.wholeTrajectories())
                    .mapToObj(i -> new int[] {i % options.trajectories()}).toList();
            trajectoriesHyperslab = measure(trajectories,
                    n -> readTrajectory(fields, n[0], spec.nSteps(), checked));
            report(out, "whole trajectories, jhdf hyperslab per field        ", trajectoriesHyperslab,
                    "trajectories");
            trajectoriesChunks = measure(trajectories,
                    n -> readWindow(fields, trajectoryFrames(n[0], spec.nSteps()), DataBenchmark::chunk, checked));
            report(out, "whole trajectories, parallel chunks                 ", trajectoriesChunks, "trajectories");
        }
        Optional<Double> h5py = h5pyWholeDatasetRate(file);
        out.println(h5py.map(r -> String.format(Locale.ROOT, "  h5py whole-dataset read (reference): %.1f MB/s", r))
                .orElse("  h5py whole-dataset read (reference): not measured (/usr/bin/python3 with h5py missing)"));
        out.printf(Locale.ROOT, "  %d values read back, all equal to what was written%n", checked[0]);
        return new Report(fileBytes, writeMBs, windowsHyperslab, windowsChunks, trajectoriesHyperslab,
                trajectoriesChunks, h5py, checked[0]);
    }

    // ---- the generated file ---------------------------------------------------------------------------------

    static WellSpec spec(Options options) {
        float[] coordinates = new float[options.grid()];
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = (i + 0.5f) / options.grid();
        }
        float[] time = new float[options.steps()];
        for (int t = 0; t < time.length; t++) {
            time[t] = 0.01f * t;
        }
        return WellSpec.builder("bench_data", "cartesian").trajectories(options.trajectories())
                .spatialDim("x", coordinates).spatialDim("y", coordinates).time(time)
                .boundary(WellSpec.BoundaryGroup.bothFaces("x_periodic", "PERIODIC", "x", options.grid()))
                .boundary(WellSpec.BoundaryGroup.bothFaces("y_periodic", "PERIODIC", "y", options.grid()))
                .field(Field.of("density", 0)).field(Field.of("pressure", 0)).field(Field.of("velocity", 1))
                .build();
    }

    private static int channels(WellSpec spec) {
        return spec.fields().stream().mapToInt(f -> f.channels(spec.spatialDimNames()).size()).sum();
    }

    /**
     * A smooth travelling pattern plus noise in the low mantissa bits, so that gzip compresses it about as badly as
     * real simulation output. A pure function of its arguments, so reads can be checked value by value.
     */
    static float value(Field field, int trajectory, int step, int index) {
        double phase = 0.37 * field.name().length() + 0.9 * trajectory + 0.05 * step;
        double smooth = Math.sin(0.021 * index + phase);
        long h = (index * 0x9E3779B97F4A7C15L) ^ ((long) trajectory << 40) ^ ((long) step << 20)
                ^ field.name().hashCode();
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        return (float) (smooth + 1e-3 * ((h >>> 40) / (double) (1L << 24)));
    }

    private static double write(PrintStream out, WellSpec spec, Path file, long rawBytes) {
        int totalFrames = spec.fields().stream().mapToInt(f -> f.frameCount(spec)).sum();
        long start = System.nanoTime();
        int[] done = {0};
        WellWriter.write(file, spec, (field, n, t, frame) -> {
            for (int i = 0; i < frame.remaining(); i++) {
                frame.put(frame.position() + i, value(field, n, t, i));
            }
            frame.position(frame.limit());
            if (++done[0] % Math.max(1, totalFrames / 10) == 0) {
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "  writing: %d/%d frames, %.1f MB/s, ETA %.0f s%n", done[0], totalFrames,
                        rawBytes * done[0] / (double) totalFrames / MB / seconds,
                        seconds * (totalFrames - done[0]) / done[0]);
            }
        });
        return rawBytes / (double) MB / ((System.nanoTime() - start) / 1e9);
    }

    // ---- reading --------------------------------------------------------------------------------------------

    private record FieldData(Field field, ChunkedDataset dataset, int[] frameShape, int frameLength) {
    }

    /** Reads frame ({@code trajectory}, {@code step}) of a field into a flat array. */
    private interface FrameReader {
        float[] read(FieldData field, int trajectory, int step);
    }

    /** Random windows: {trajectory, step of frame 0, ..., step of frame 6}. */
    private static List<int[]> windows(Options options, int steps) {
        SplittableRandom random = new SplittableRandom(42);
        List<int[]> windows = new ArrayList<>();
        for (int w = 0; w < options.windows(); w++) {
            int stride = 1 + random.nextInt(MAX_STRIDE);
            int span = 1 + stride * (N_IN + N_OUT - 1);
            int start = random.nextInt(steps - span + 1);
            int[] window = new int[1 + N_IN + N_OUT];
            window[0] = random.nextInt(options.trajectories());
            for (int k = 0; k < N_IN + N_OUT; k++) {
                window[1 + k] = start + k * stride;
            }
            windows.add(window);
        }
        return windows;
    }

    private static int[] trajectoryFrames(int trajectory, int steps) {
        int[] frames = new int[1 + steps];
        frames[0] = trajectory;
        for (int t = 0; t < steps; t++) {
            frames[1 + t] = t;
        }
        return frames;
    }

    /** Reads every frame of {@code window} of every field, frames decoded in parallel; returns bytes read. */
    private static long readWindow(List<FieldData> fields, int[] window, FrameReader reader, long[] checked) {
        int frames = window.length - 1;
        return IntStream.range(0, fields.size() * frames).parallel().mapToLong(k -> {
            FieldData field = fields.get(k / frames);
            int step = window[1 + k % frames];
            float[] values = reader.read(field, window[0], step);
            check(field, window[0], step, values, checked);
            return 4L * values.length;
        }).sum();
    }

    private static float[] hyperslab(FieldData field, int trajectory, int step) {
        return slab(field, trajectory, step, 1);
    }

    /** {@code steps} consecutive frames from ({@code trajectory}, {@code step}) via a jhdf hyperslab, flattened. */
    private static float[] slab(FieldData field, int trajectory, int step, int steps) {
        int rank = 2 + field.frameShape().length;
        long[] offset = new long[rank];
        offset[0] = trajectory;
        offset[1] = step;
        int[] shape = new int[rank];
        shape[0] = 1;
        shape[1] = steps;
        System.arraycopy(field.frameShape(), 0, shape, 2, field.frameShape().length);
        float[] flat = new float[steps * field.frameLength()];
        flatten(field.dataset().getData(offset, shape), flat, 0);
        return flat;
    }

    /** Copies jhdf's nested float arrays into {@code out} in row-major order; returns the next position. */
    private static int flatten(Object nested, float[] out, int position) {
        if (nested instanceof float[] row) {
            System.arraycopy(row, 0, out, position, row.length);
            return position + row.length;
        }
        for (Object inner : (Object[]) nested) {
            position = flatten(inner, out, position);
        }
        return position;
    }

    private static float[] chunk(FieldData field, int trajectory, int step) {
        int rank = field.dataset().getDimensions().length;
        int[] offset = new int[rank];
        offset[0] = trajectory;
        offset[1] = step;
        float[] values = new float[field.frameLength()];
        ByteBuffer.wrap(field.dataset().getDecompressedChunk(offset)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(values);
        return values;
    }

    /** One hyperslab per field covering the whole trajectory, fields read in parallel; returns bytes read. */
    private static long readTrajectory(List<FieldData> fields, int trajectory, int steps, long[] checked) {
        return fields.parallelStream().mapToLong(field -> {
            float[] all = slab(field, trajectory, 0, steps);
            for (int t = 0; t < steps; t++) {
                check(field, trajectory, t, Arrays.copyOfRange(all, t * field.frameLength(),
                        (t + 1) * field.frameLength()), checked);
            }
            return 4L * all.length;
        }).sum();
    }

    private static void check(FieldData field, int trajectory, int step, float[] values, long[] checked) {
        // Spot-check a spread of values per frame: enough to catch a wrong frame or a misordered copy.
        for (int i = 0; i < values.length; i += 997) {
            float expected = value(field.field(), trajectory, step, i);
            if (values[i] != expected) {
                throw new IllegalStateException("bench_data.hdf5: " + field.field().name() + " (trajectory "
                        + trajectory + ", step " + step + ") value " + i + " reads " + values[i] + ", wrote "
                        + expected);
            }
        }
        synchronized (checked) {
            checked[0] += (values.length + 996) / 997;
        }
    }

    /** Times reading every unit, after reading the first few untimed (JIT, jhdf's chunk index, page cache). */
    private static <T> Rate measure(List<T> units, ToLongFunction<T> read) {
        units.subList(0, Math.min(3, units.size())).forEach(read::applyAsLong);
        long start = System.nanoTime();
        long bytes = 0;
        for (T unit : units) {
            bytes += read.applyAsLong(unit);
        }
        return new Rate(units.size(), bytes, (System.nanoTime() - start) / 1e9);
    }

    private static void report(PrintStream out, String what, Rate rate, String unit) {
        out.printf(Locale.ROOT, "  %s %8.1f %s/s %8.1f MB/s%n", what, rate.perSecond(), unit, rate.mbPerSecond());
    }

    // ---- h5py reference -------------------------------------------------------------------------------------

    private static final String H5PY_READ = String.join("\n",
            "import sys, time, h5py",
            "f = h5py.File(sys.argv[1], 'r')",
            "start = time.perf_counter(); total = 0",
            "for group in ('t0_fields', 't1_fields', 't2_fields'):",
            "    for name in f[group].attrs['field_names']:",
            "        total += f[group][name][()].nbytes",
            "print(total / 2**20 / (time.perf_counter() - start))");

    /** h5py's MB/s reading every field dataset whole, or empty when /usr/bin/python3 lacks h5py. */
    static Optional<Double> h5pyWholeDatasetRate(Path file) {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("/usr/bin/python3", "-c", H5PY_READ, file.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(Double.parseDouble(output));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
