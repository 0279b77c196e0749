package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture file reads to exactly what its `.truth.json` sidecar (computed with h5py) says. */
class WellFileSidecarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> files() {
        return WellFixtures.allFiles().stream();
    }

    private static JsonNode truth(Path file) throws IOException {
        return JSON.readTree(WellFixtures.sidecar(file).toFile());
    }

    @ParameterizedTest
    @MethodSource("files")
    void metadataMatches(Path file) throws IOException {
        JsonNode t = truth(file);
        try (WellFile w = WellFile.open(file)) {
            assertEquals(t.get("dataset_name").asText(), w.datasetName());
            assertEquals(t.get("grid_type").asText(), w.gridType());
            assertEquals(t.get("n_spatial_dims").asInt(), w.nSpatialDims());
            assertEquals(t.get("n_trajectories").asInt(), w.nTrajectories());
            assertEquals(t.get("n_steps_per_trajectory").asInt(), w.nSteps());
            assertEquals(strings(t.get("spatial_dims")), w.spatialDims());
            assertArrayEquals(ints(t.get("spatial_resolution")), w.spatialResolution());

            JsonNode time = t.get("time");
            assertEquals(time.get("sample_varying").asBoolean(), w.timeSampleVarying());
            for (int i = 0; i < time.get("first").size(); i++) {
                float[] tr = w.time(i);
                assertEquals(time.get("first").get(i).floatValue(), tr[0]);
                assertEquals(time.get("last").get(i).floatValue(), tr[tr.length - 1]);
            }
            t.get("coordinates").properties().forEach(e -> {
                float[] c = w.coordinates(e.getKey());
                assertEquals(e.getValue().get("n").asInt(), c.length);
                assertEquals(e.getValue().get("first").floatValue(), c[0]);
                assertEquals(e.getValue().get("last").floatValue(), c[c.length - 1]);
                double sum = 0;
                for (float v : c) sum += v;
                assertClose(e.getValue().get("sum").asDouble(), sum, sum, "coordinate sum " + e.getKey());
            });

            Map<String, Object> params = w.simulationParameters();
            assertEquals(t.get("simulation_parameters").size(), params.size());
            t.get("simulation_parameters").properties().forEach(e ->
                    assertEquals(e.getValue().asDouble(), (Double) params.get(e.getKey()), 0.0, e.getKey()));
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void scalarsMatch(Path file) throws IOException {
        JsonNode s = truth(file).get("scalars");
        try (WellFile w = WellFile.open(file)) {
            assertEquals(strings(s.get("variable")),
                    w.scalars().stream().filter(ScalarInfo::isVariable).map(ScalarInfo::name).toList());
            assertEquals(strings(s.get("constant")),
                    w.scalars().stream().filter(x -> !x.isVariable()).map(ScalarInfo::name).toList());
            for (ScalarInfo info : w.scalars()) {
                JsonNode d = s.get("details").get(info.name());
                assertArrayEquals(ints(d.get("shape")), info.shape(), info.name());
                assertEquals(d.get("dtype").asText(), info.dtype(), info.name());
                assertEquals(d.get("sample_varying").asBoolean(), info.sampleVarying(), info.name());
                assertEquals(d.get("time_varying").asBoolean(), info.timeVarying(), info.name());
                double sum = 0;
                double abs = 0;
                for (double v : w.scalarValues(info.name())) {
                    sum += v;
                    abs += Math.abs(v);
                }
                assertClose(d.get("sum").asDouble(), sum, abs, "scalar " + info.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void fieldsAndChannelsMatch(Path file) throws IOException {
        JsonNode t = truth(file);
        try (WellFile w = WellFile.open(file)) {
            JsonNode fields = t.get("fields");
            assertEquals(fields.size(), w.fields().size());
            for (FieldInfo f : w.fields()) {
                JsonNode j = fields.get(f.name());
                String n = f.name();
                assertEquals(j.get("rank").asInt(), f.rank(), n);
                assertArrayEquals(ints(j.get("shape")), f.shape(), n);
                assertEquals(j.get("dtype").asText(), f.dtype(), n);
                assertEquals(j.get("sample_varying").asBoolean(), f.sampleVarying(), n);
                assertEquals(j.get("time_varying").asBoolean(), f.timeVarying(), n);
                assertArrayEquals(bools(j.get("dim_varying")), f.dimVarying(), n);
                assertEquals(j.get("kind").asText(), f.isConstant() ? "constant" : "variable", n);
                assertEquals(strings(j.get("channels")), f.channels(), n);
                assertArrayEquals(j.get("chunks").isNull() ? null : ints(j.get("chunks")), f.chunks(), n);
                assertEquals(j.get("compression").isNull() ? null : j.get("compression").asText(), f.compression(), n);
                if (j.has("symmetric")) {
                    assertEquals(j.get("symmetric").asBoolean(), f.symmetric(), n);
                    assertEquals(j.get("antisymmetric").asBoolean(), f.antisymmetric(), n);
                }
            }
            for (int rank = 0; rank < 3; rank++) {
                int r = rank;
                assertEquals(strings(t.get("field_names").get(String.valueOf(rank))), w.variableFields().stream()
                        .filter(f -> f.rank() == r).flatMap(f -> f.channels().stream()).toList());
                assertEquals(strings(t.get("constant_field_names").get(String.valueOf(rank))), w.constantFields()
                        .stream().filter(f -> f.rank() == r).flatMap(f -> f.channels().stream()).toList());
            }
            assertEquals(strings(t.get("variable_channels")), w.variableChannels());
            assertEquals(strings(t.get("constant_channels")), w.constantChannels());
        }
    }

    /** Sums per channel over trajectory/time ranges (float64 sums of stored float32 values) and single probes. */
    @ParameterizedTest
    @MethodSource("files")
    void checksumsAndProbesMatch(Path file) throws IOException {
        JsonNode fields = truth(file).get("fields");
        int compared = 0;
        try (WellFile w = WellFile.open(file)) {
            for (FieldInfo f : w.fields()) {
                JsonNode j = fields.get(f.name());
                for (JsonNode c : j.get("checksums")) {
                    int traj = c.get("trajectory").isNull() ? 0 : c.get("trajectory").asInt();
                    float[] values = f.isConstant() ? w.readConstant(f, traj)
                            : w.readFrames(f, traj, c.get("t_start").asInt(),
                                    c.get("t_stop").asInt() - c.get("t_start").asInt(), 1);
                    int nc = f.nChannels();
                    double[] sum = new double[nc];
                    double[] abs = new double[nc];
                    double[] sq = new double[nc];
                    for (int i = 0; i < values.length; i++) {
                        double v = values[i];
                        sum[i % nc] += v;
                        abs[i % nc] += Math.abs(v);
                        sq[i % nc] += v * v;
                    }
                    double totalAbs = 0;
                    double total = 0;
                    double totalSq = 0;
                    for (int ch = 0; ch < nc; ch++) {
                        String name = f.channels().get(ch);
                        String what = file.getFileName() + " " + name + " " + c;
                        assertClose(c.get("sum_per_channel").get(name).asDouble(), sum[ch], abs[ch], what);
                        assertClose(c.get("sum_abs_per_channel").get(name).asDouble(), abs[ch], abs[ch], what);
                        assertClose(c.get("sum_sq_per_channel").get(name).asDouble(), sq[ch], sq[ch], what);
                        totalAbs += abs[ch];
                        total += sum[ch];
                        totalSq += sq[ch];
                        compared += 3;
                    }
                    assertClose(c.get("sum_all").asDouble(), total, totalAbs, f.name() + " sum_all");
                    assertClose(c.get("sum_of_squares").asDouble(), totalSq, totalSq, f.name() + " sum_of_squares");
                }
                assertProbe(w, f, ints(j.get("probe_index")), j.get("probe_values"));
            }
        }
        assertTrue(compared >= 12, "too few checksums compared: " + compared);
    }

    /** probe_index indexes the stored array: [trajectory] [step] spatial... [components]. */
    private static void assertProbe(WellFile w, FieldInfo f, int[] index, JsonNode expected) {
        int k = 0;
        int traj = f.sampleVarying() ? index[k++] : 0;
        int step = f.timeVarying() ? index[k++] : 0;
        float[] frame = f.isConstant() ? w.readConstant(f, traj) : w.readFrames(f, traj, step, 1, 1);
        int[] res = w.spatialResolution();
        int point = 0;
        for (int a = 0; a < res.length; a++) point = point * res[a] + index[k + a];
        for (int ch = 0; ch < f.nChannels(); ch++) {
            assertEquals(expected.get(f.channels().get(ch)).floatValue(), frame[point * f.nChannels() + ch],
                    f.channels().get(ch) + " at " + java.util.Arrays.toString(index));
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void boundaryConditionsMatch(Path file) throws IOException {
        JsonNode t = truth(file);
        try (WellFile w = WellFile.open(file)) {
            int[][] expected = new int[w.nSpatialDims()][];
            for (int a = 0; a < expected.length; a++) expected[a] = ints(t.get("boundary_conditions").get(a));
            assertArrayEquals(expected, w.boundaryConditions());
            JsonNode groups = t.get("boundary_groups");
            assertEquals(groups.size(), w.boundaryGroups().size());
            TreeSet<String> rawTypes = new TreeSet<>();
            for (BoundaryGroup g : w.boundaryGroups()) {
                JsonNode j = groups.get(g.name());
                assertEquals(j.get("bc_type").asText(), g.bcType());
                assertEquals(strings(j.get("associated_dims")), g.associatedDims());
                assertEquals(strings(j.get("associated_fields")), g.associatedFields());
                assertEquals(j.get("sample_varying").asBoolean(), g.sampleVarying());
                assertEquals(j.get("time_varying").asBoolean(), g.timeVarying());
                assertArrayEquals(ints(j.get("mask_shape")), g.maskShape());
                assertEquals(j.get("mask_true_count").asInt(), g.maskTrueCount());
                assertArrayEquals(j.get("values_shape").isNull() ? null : ints(j.get("values_shape")), g.valuesShape());
                rawTypes.add(g.bcType());
            }
            assertEquals(strings(t.get("boundary_condition_types_raw")), List.copyOf(rawTypes));
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void windowCountsMatch(Path file) throws IOException {
        JsonNode windows = truth(file).get("windows_per_trajectory");
        Pattern key = Pattern.compile("in(\\d+)_out(\\d+)_stride(\\d+)");
        assertTrue(windows.size() >= 4);
        try (WellFile w = WellFile.open(file)) {
            windows.properties().forEach(e -> {
                Matcher m = key.matcher(e.getKey());
                assertTrue(m.matches(), e.getKey());
                WindowSpec spec = WindowSpec.evaluation(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                assertEquals(e.getValue().asInt(), spec.windowsPerTrajectory(w.nSteps()), e.getKey());
            });
        }
    }

    /** The sidecar's rule: |a - b| <= 1e-6 * max(1, sum_abs); several sums are ~0 by symmetry. */
    static void assertClose(double expected, double actual, double sumAbs, String what) {
        double tol = 1e-6 * Math.max(1, Math.abs(sumAbs));
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + " got " + actual);
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    static boolean[] bools(JsonNode array) {
        boolean[] out = new boolean[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asBoolean();
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
