package org.walrusjava.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.walrusjava.UserError;
import org.walrusjava.data.WellSpec.BoundaryGroup;
import org.walrusjava.data.WellSpec.Field;
import org.walrusjava.data.WellSpec.Scalar;
import org.walrusjava.data.hdf5.Hdf5Exception;
import org.walrusjava.data.hdf5.Hdf5Writer;
import org.walrusjava.data.hdf5.Hdf5Writer.ChunkedFloats;

/**
 * Writes a Well-format HDF5 file that h5py and the_well read exactly like the published data: the layout of
 * the-well.md with h5py's storage types (variable-length UTF-8 strings, bools as the int8 enum FALSE/TRUE, int64
 * counts, float32 data), field datasets chunked one (trajectory, time step) frame per chunk and gzip level 4,
 * everything else contiguous.
 *
 * <p>Use: {@code create} lays out the file from a {@link WellSpec} (metadata, coordinates, scalars and boundary
 * groups are written at once); then every frame of every field is passed to {@code write} in any order, so a
 * simulator or a converter never holds more than one frame; {@code commit} checks that nothing is missing and
 * moves the finished file into place atomically. The file is built as a hidden temporary next to the target;
 * any failure, and {@code close} without {@code commit}, deletes it, so a target path either holds a complete
 * file or is left untouched.
 *
 * <p><b>Why libhdf5 through java.lang.foreign.</b> jhdf 0.13 (our reader) cannot write empty arrays, writes
 * fixed-length strings (h5py reads {@code b'PERIODIC'}) and bitfield booleans, so its files do not read like the
 * originals. org.bytedeco:hdf5 1.14.3-1.5.10 was measured in the same JVM as pytorch 2.10.0-1.5.13: JavaCPP warns
 * that the versions do not match, its predefined type ids are invalid ({@code H5T_IEEE_F32LE()} returns 56,
 * rejected by H5Dcreate2 as "not a datatype ID", even after H5open) and the bundled hdf.hdf5lib API does not link,
 * so it cannot write a float dataset. HDF5's C API, by contrast, is small and stable from 1.10 to 1.14 and Java 25's
 * FFM binds it without native glue or a second JavaCPP; the library is the one h5py itself uses on the machine
 * (Debian/Ubuntu's python3-h5py brings libhdf5_serial.so.103), so both sides of the h5py comparison test run the
 * same HDF5. See {@link org.walrusjava.data.hdf5.Hdf5Library} for how the library is found.
 */
public final class WellWriter implements AutoCloseable {
    /** gzip level of field datasets, as in the published Well files. */
    public static final int GZIP_LEVEL = 4;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temporary;
    private final WellSpec spec;
    private final Map<String, OpenField> fields = new LinkedHashMap<>();
    private Hdf5Writer file;
    private boolean finished;

    /** A field dataset being filled, with the frames written so far. */
    private record OpenField(Field spec, ChunkedFloats dataset, long[] frameShape, int frameLength,
                             BitSet written) {
    }

    private WellWriter(Path target, Path temporary, WellSpec spec) {
        this.target = target;
        this.temporary = temporary;
        this.spec = spec;
    }

    /**
     * Validates {@code spec}, then lays out the file at a temporary path next to {@code target} (creating parent
     * directories). Throws UserError naming {@code target} for an inconsistent spec or an unwritable location.
     */
    public static WellWriter create(Path target, WellSpec spec) {
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new UserError(target + ": cannot write " + spec.datasetName() + ": " + String.join("; ", problems));
        }
        Path directory = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UserError(target + ": cannot create its directory: " + e.getMessage(), e);
        }
        // HDF5 creates the file itself (so it gets the usual permissions); the random part keeps writers apart.
        Path temporary = directory.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong())
                + ".partial");
        WellWriter writer = new WellWriter(target, temporary, spec);
        writer.guard(writer::layOut);
        return writer;
    }

    /**
     * Writes a whole file from {@code frames}, asking it for every frame of every field, and commits it. Returns
     * {@code target}.
     */
    public static Path write(Path target, WellSpec spec, FrameSource frames) {
        try (WellWriter writer = create(target, spec)) {
            for (Field field : spec.fields()) {
                FloatBuffer frame = FloatBuffer.allocate(field.frameLength(spec));
                int trajectories = field.sampleVarying() ? spec.nTrajectories() : 1;
                int steps = field.timeVarying() ? spec.nSteps() : 1;
                for (int n = 0; n < trajectories; n++) {
                    for (int t = 0; t < steps; t++) {
                        frame.clear();
                        frames.fill(field, n, t, frame);
                        writer.write(field.name(), n, t, frame.flip());
                    }
                }
            }
            return writer.commit();
        }
    }

    /** Supplies the values of one frame of a field (row-major, {@link Field#frameLength} floats). */
    @FunctionalInterface
    public interface FrameSource {
        void fill(Field field, int trajectory, int step, FloatBuffer frame);
    }

    public WellSpec spec() {
        return spec;
    }

    /** Number of floats {@code write} expects for {@code field}. */
    public int frameLength(String field) {
        return openField(field).frameLength();
    }

    /**
     * Writes one frame of {@code field}: its values at ({@code trajectory}, {@code step}), row-major over the axes
     * the field has and then its tensor components. Pass 0 for an index the field does not vary over. NaN or
     * infinite values, a wrong length or an index out of range abort the whole file with a UserError.
     */
    public void write(String field, int trajectory, int step, float[] frame) {
        write(field, trajectory, step, FloatBuffer.wrap(frame));
    }

    public void write(String field, int trajectory, int step, FloatBuffer frame) {
        guard(() -> writeFrame(openField(field), trajectory, step, frame));
    }

    /**
     * Checks that every frame was written, closes the file and moves it to the target (replacing any file
     * there). Returns the target.
     */
    public Path commit() {
        guard(() -> {
            for (OpenField field : fields.values()) {
                int missing = field.written().nextClearBit(0);
                int frames = field.spec().frameCount(spec);
                if (missing < frames) {
                    throw new UserError(target + ": field " + field.spec().name() + " is missing frame "
                            + describeFrame(field.spec(), missing) + " (" + (frames - field.written().cardinality())
                            + " of " + frames + " frames never written)");
                }
            }
            closeFile();
            moveIntoPlace();
        });
        finished = true;
        return target;
    }

    /** Without a successful commit: discards the partial file. */
    @Override
    public void close() {
        if (!finished) {
            abort();
        }
    }

    // ---- layout -----------------------------------------------------------------------------------------------

    private void layOut() {
        file = Hdf5Writer.create(temporary);
        writeRootAttributes();
        writeDimensions();
        writeScalars();
        writeBoundaryGroups();
        for (int rank = 0; rank <= 2; rank++) {
            createFieldGroup(rank);
        }
    }

    private void writeRootAttributes() {
        file.attribute("/", "dataset_name", spec.datasetName());
        file.attribute("/", "grid_type", spec.gridType());
        file.attribute("/", "n_spatial_dims", (long) spec.nSpatialDims());
        file.attribute("/", "n_trajectories", (long) spec.nTrajectories());
        file.attribute("/", "simulation_parameters", List.copyOf(spec.simulationParameters().keySet()));
        spec.simulationParameters().forEach((name, value) -> {
            switch (value) {
                case Double d -> file.attribute("/", name, d);
                case Long l -> file.attribute("/", name, l);
                case String s -> file.attribute("/", name, s);
                default -> throw new IllegalStateException("simulation parameter " + name + " = " + value);
            }
        });
    }

    private void writeDimensions() {
        file.createGroup("/dimensions");
        file.attribute("/dimensions", "spatial_dims", spec.spatialDimNames());
        WellSpec.Time time = spec.time();
        long[] timeShape = time.sampleVarying()
                ? new long[] {spec.nTrajectories(), spec.nSteps()} : new long[] {spec.nSteps()};
        // The format checker requires a time_varying flag on every dimension; time is the one that varies.
        writeFlagged("/dimensions/time", timeShape, time.values(), time.sampleVarying(), true);
        for (WellSpec.SpatialDim dim : spec.spatialDims()) {
            writeFlagged("/dimensions/" + dim.name(), new long[] {dim.coordinates().length}, dim.coordinates(),
                    false, false);
        }
    }

    private void writeScalars() {
        file.createGroup("/scalars");
        file.attribute("/scalars", "field_names", spec.scalars().stream().map(Scalar::name).toList());
        for (Scalar scalar : spec.scalars()) {
            List<Long> shape = new ArrayList<>();
            if (scalar.sampleVarying()) {
                shape.add((long) spec.nTrajectories());
            }
            if (scalar.timeVarying()) {
                shape.add((long) spec.nSteps());
            }
            writeFlagged("/scalars/" + scalar.name(), shape.stream().mapToLong(Long::longValue).toArray(),
                    scalar.values(), scalar.sampleVarying(), scalar.timeVarying());
        }
    }

    private void writeFlagged(String path, long[] shape, float[] values, boolean sampleVarying,
                              boolean timeVarying) {
        file.contiguous(path, shape, values);
        file.attribute(path, "sample_varying", sampleVarying);
        file.attribute(path, "time_varying", timeVarying);
    }

    private void writeBoundaryGroups() {
        file.createGroup("/boundary_conditions");
        List<String> dims = spec.spatialDimNames();
        for (BoundaryGroup group : spec.boundaryGroups()) {
            String path = "/boundary_conditions/" + group.name();
            file.createGroup(path);
            file.attribute(path, "bc_type", group.bcType());
            file.attribute(path, "associated_dims", group.associatedDims());
            file.attribute(path, "associated_fields", group.associatedFields());
            file.attribute(path, "sample_varying", false);
            file.attribute(path, "time_varying", false);
            long[] maskShape = group.associatedDims().stream()
                    .mapToLong(d -> spec.spatialDims().get(dims.indexOf(d)).coordinates().length).toArray();
            file.contiguous(path + "/mask", maskShape, group.mask());
            file.contiguous(path + "/values", new long[] {group.values().length}, group.values());
        }
    }

    private void createFieldGroup(int rank) {
        String group = "/t" + rank + "_fields";
        List<Field> members = spec.fieldsOfRank(rank);
        file.createGroup(group);
        file.attribute(group, "field_names", members.stream().map(Field::name).toList());
        for (Field field : members) {
            String path = group + "/" + field.name();
            long[] frameShape = field.frameShape(spec);
            long[] lead = LongStream.of(field.sampleVarying() ? spec.nTrajectories() : -1,
                    field.timeVarying() ? spec.nSteps() : -1).filter(n -> n > 0).toArray();
            long[] shape = LongStream.concat(LongStream.of(lead), LongStream.of(frameShape)).toArray();
            long[] chunk = LongStream.concat(LongStream.of(lead).map(n -> 1), LongStream.of(frameShape)).toArray();
            ChunkedFloats dataset = file.chunked(path, shape, chunk, GZIP_LEVEL);
            fields.put(field.name(), new OpenField(field, dataset, frameShape, field.frameLength(spec),
                    new BitSet(field.frameCount(spec))));
            file.attribute(path, "dim_varying", field.dimVarying(spec.nSpatialDims()));
            file.attribute(path, "sample_varying", field.sampleVarying());
            file.attribute(path, "time_varying", field.timeVarying());
            if (rank == 2) {
                file.attribute(path, "symmetric", field.symmetric());
                file.attribute(path, "antisymmetric", field.antisymmetric());
            }
        }
    }

    // ---- frames -----------------------------------------------------------------------------------------------

    private OpenField openField(String name) {
        OpenField field = fields.get(name);
        if (field == null) {
            throw new UserError(target + ": no field '" + name + "' in the spec (fields: " + fields.keySet() + ")");
        }
        return field;
    }

    private void writeFrame(OpenField field, int trajectory, int step, FloatBuffer frame) {
        Field f = field.spec();
        checkIndex(f, "trajectory", trajectory, f.sampleVarying(), spec.nTrajectories());
        checkIndex(f, "step", step, f.timeVarying(), spec.nSteps());
        if (frame.remaining() != field.frameLength()) {
            throw new UserError(target + ": field " + f.name() + " frame " + describeFrame(f, trajectory, step)
                    + " has " + frame.remaining() + " values, expected " + field.frameLength() + " for shape "
                    + Arrays.toString(field.frameShape()));
        }
        for (int i = 0; i < frame.remaining(); i++) {
            float v = frame.get(frame.position() + i);
            if (!Float.isFinite(v)) {
                throw new UserError(target + ": field " + f.name() + " frame " + describeFrame(f, trajectory, step)
                        + " contains " + v + " at flat index " + i);
            }
        }
        List<Long> start = new ArrayList<>();
        if (f.sampleVarying()) {
            start.add((long) trajectory);
        }
        if (f.timeVarying()) {
            start.add((long) step);
        }
        int lead = start.size();
        long[] offset = LongStream.concat(start.stream().mapToLong(Long::longValue),
                LongStream.generate(() -> 0).limit(field.frameShape().length)).toArray();
        long[] count = LongStream.concat(LongStream.generate(() -> 1).limit(lead),
                LongStream.of(field.frameShape())).toArray();
        field.dataset().write(offset, count, frame);
        field.written().set(frameIndex(f, trajectory, step));
    }

    private void checkIndex(Field field, String what, int index, boolean varying, int size) {
        int limit = varying ? size : 1;
        if (index < 0 || index >= limit) {
            throw new UserError(target + ": field " + field.name() + ": " + what + " " + index + " out of range [0, "
                    + limit + ")" + (varying ? "" : " (the field does not vary over it: pass 0)"));
        }
    }

    private int frameIndex(Field field, int trajectory, int step) {
        return field.timeVarying() ? trajectory * spec.nSteps() + step : trajectory;
    }

    private String describeFrame(Field field, int index) {
        int steps = field.timeVarying() ? spec.nSteps() : 1;
        return describeFrame(field, index / steps, index % steps);
    }

    private static String describeFrame(Field field, int trajectory, int step) {
        return "(trajectory " + trajectory + ", step " + step + ")";
    }

    // ---- failure handling -------------------------------------------------------------------------------------

    /** Runs a step of writing; on any failure the partial file is deleted and the writer is finished. */
    private void guard(Runnable step) {
        if (finished) {
            throw new IllegalStateException(target + ": writer already committed or aborted");
        }
        try {
            step.run();
        } catch (Hdf5Exception e) {
            abort();
            throw new UserError(target + ": HDF5 write failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                fields.values().forEach(f -> f.dataset().close());
            } finally {
                Hdf5Writer closing = file;
                file = null;
                closing.close();
            }
        }
    }

    private void moveIntoPlace() {
        try {
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserError(target + ": cannot move the finished file into place: " + e.getMessage(), e);
        }
    }

    private void abort() {
        finished = true;
        try {
            closeFile();
        } catch (RuntimeException ignored) {
            // the file is being thrown away; its close error adds nothing to the one being reported
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                throw new UncheckedIOException(temporary + ": cannot delete partial file", e);
            }
        }
    }
}
