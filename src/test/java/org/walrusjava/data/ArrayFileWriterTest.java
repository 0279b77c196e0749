package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrayFileWriterTest {
    @TempDir
    Path tmp;

    private static final Path TENSOR_FILE =
            WellFixtures.dataset("tensor3d").resolve("data/train/tensor3d_train_00.hdf5");

    /** Export = channel-by-channel copy of the stored values; checked against the reader and the sidecar sums. */
    @Test
    void exportHoldsEveryChannelAsStored() throws IOException {
        Path out = tmp.resolve("e.safetensors");
        List<ArrayFileWriter.NamedArray> arrays = WellExport.export(TENSOR_FILE, 1, 0, 3, out,
                ArrayFileWriter.Format.SAFETENSORS);
        Map<String, float[]> read = readSafetensors(out);
        assertEquals(List.of("density", "temperature_background", "velocity_x", "velocity_y", "velocity_z", "D_xx",
                "D_xy", "D_xz", "D_yx", "D_yy", "D_yz", "D_zx", "D_zy", "D_zz"), List.copyOf(read.keySet()));
        JsonNode truth = new ObjectMapper().readTree(WellFixtures.sidecar(TENSOR_FILE).toFile());
        JsonNode sums = truth.get("fields").get("D").get("checksums").get(2); // trajectory 1, steps [0, 3)
        assertEquals(1, sums.get("trajectory").asInt());
        assertEquals(3, sums.get("t_stop").asInt());
        for (String ch : List.of("D_xz", "D_yx", "D_zz")) {
            double sum = 0;
            for (float v : read.get(ch)) sum += v;
            WellFileSidecarTest.assertClose(sums.get("sum_per_channel").get(ch).asDouble(), sum,
                    sums.get("sum_abs_per_channel").get(ch).asDouble(), ch);
        }
        for (ArrayFileWriter.NamedArray a : arrays) assertArrayEquals(a.data(), read.get(a.name()), a.name());
        assertArrayEquals(new int[] {3, 16, 16, 16}, arrays.get(2).shape());
        assertArrayEquals(new int[] {16, 16, 16}, arrays.get(1).shape(), "constant channels have no time axis");
        try (WellFile w = WellFile.open(TENSOR_FILE)) {
            float[] velocity = w.readFrames(w.field("velocity"), 1, 2, 1, 1);
            float[] vy = read.get("velocity_y");
            for (int p = 0; p < 4096; p += 37) assertEquals(velocity[p * 3 + 1], vy[2 * 4096 + p]);
        }
    }

    /** The npz holds the same arrays; headers follow .npy 1.0 (64-byte aligned, '<f4', C order). */
    @Test
    void npzMatchesSafetensors() throws IOException {
        Path st = tmp.resolve("a.safetensors");
        Path npz = tmp.resolve("a.npz");
        WellExport.export(TENSOR_FILE, 0, 4, 6, st, ArrayFileWriter.Format.SAFETENSORS);
        WellExport.export(TENSOR_FILE, 0, 4, 6, npz, ArrayFileWriter.Format.NPZ);
        Map<String, float[]> a = readSafetensors(st);
        Map<String, float[]> b = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(npz))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                byte[] all = zip.readAllBytes();
                int headerLength = ByteBuffer.wrap(all, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
                String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
                assertEquals(0, (10 + headerLength) % 64);
                assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': ("), header);
                float[] values = new float[(all.length - 10 - headerLength) / 4];
                ByteBuffer.wrap(all, 10 + headerLength, values.length * 4).order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer().get(values);
                b.put(e.getName().replace(".npy", ""), values);
            }
        }
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
        assertEquals("(2, 16, 16, 16)", new String(ArrayFileWriter.npyHeader(new int[] {2, 16, 16, 16}),
                StandardCharsets.US_ASCII).replaceAll(".*'shape': (\\([^)]*\\)).*\\s*", "$1").trim());
        assertTrue(new String(ArrayFileWriter.npyHeader(new int[] {7}), StandardCharsets.US_ASCII).contains("(7,)"));
    }

    /** numpy (as CI installs it with python3-h5py) reads both files to the same sums. */
    @Test
    void numpyReadsBothFormats() throws Exception {
        Path st = tmp.resolve("n.safetensors");
        Path npz = tmp.resolve("n.npz");
        List<ArrayFileWriter.NamedArray> arrays = WellExport.export(TENSOR_FILE, 1, 1, 4, st,
                ArrayFileWriter.Format.SAFETENSORS);
        WellExport.export(TENSOR_FILE, 1, 1, 4, npz, ArrayFileWriter.Format.NPZ);
        String script = String.join("\n",
                "import json, struct, sys, numpy as np",
                "z = np.load(sys.argv[2])",
                "b = open(sys.argv[1], 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8 + n])",
                "for k, v in h.items():",
                "    if k == '__metadata__': continue",
                "    s, e = v['data_offsets']",
                "    a = np.frombuffer(b[8 + n + s:8 + n + e], '<f4').reshape(v['shape'])",
                "    assert a.dtype == z[k].dtype and a.shape == z[k].shape and (a == z[k]).all(), k",
                "    print(k, ','.join(map(str, a.shape)), repr(float(a.astype(np.float64).sum())))");
        Process p = new ProcessBuilder("python3", "-c", script, st.toString(), npz.toString())
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "python3 with numpy is required for this check: " + output);
        List<String> lines = output.lines().toList();
        assertEquals(arrays.size(), lines.size(), output);
        for (int i = 0; i < arrays.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            ArrayFileWriter.NamedArray a = arrays.get(i);
            assertEquals(a.name(), parts[0]);
            assertEquals(String.join(",", java.util.Arrays.stream(a.shape()).mapToObj(String::valueOf).toList()),
                    parts[1]);
            double sum = 0;
            for (float v : a.data()) sum += v;
            assertEquals(sum, Double.parseDouble(parts[2]), 1e-9 * Math.max(1, Math.abs(sum)));
        }
    }

    /** A minimal independent safetensors reader: header JSON, then little-endian F32 at the given offsets. */
    static Map<String, float[]> readSafetensors(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        Map<String, float[]> out = new LinkedHashMap<>();
        long expectedStart = 0;
        for (var e : header.properties()) {
            if (e.getKey().equals("__metadata__")) continue;
            assertEquals("F32", e.getValue().get("dtype").asText());
            long start = e.getValue().get("data_offsets").get(0).asLong();
            long end = e.getValue().get("data_offsets").get(1).asLong();
            assertEquals(expectedStart, start, "contiguous data");
            expectedStart = end;
            long count = 1;
            for (JsonNode d : e.getValue().get("shape")) count *= d.asLong();
            assertEquals(count * 4, end - start);
            float[] values = new float[(int) count];
            ByteBuffer.wrap(bytes, (int) (8 + n + start), (int) (end - start)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(values);
            out.put(e.getKey(), values);
        }
        assertEquals(bytes.length, 8 + n + expectedStart);
        return out;
    }
}
