package org.walrusjava.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.Tensor;

class SafeTensorsTest {
    static final Path TINY = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny");

    @TempDir
    Path dir;

    @Test
    void readsFixtureTensorsWithTheirShapesAndValues() {
        Map<String, Tensor> a = SafeTensors.read(TINY.resolve("case_a.safetensors"));
        assertEquals(12, a.size());
        assertEquals("well_input_fields", a.keySet().iterator().next(), "header order is kept");
        Tensor raw = a.get("raw_input");
        assertArrayEquals(new long[] {6, 1, 6, 32, 32, 1}, raw.shape());
        assertEquals(DType.FLOAT32, raw.dtype());
        assertArrayEquals(new long[] {6, 1, 9, 42, 42, 1}, a.get("encoder_input_padded").shape());

        // The README's sample_rms, recomputed from raw_input: max(sqrt(mean over T,H,W,D of x^2), 1e-5).
        float[] x = raw.toFloatArray();
        float[] rms = a.get("sample_rms").toFloatArray();
        int channels = 6, plane = 32 * 32;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int t = 0; t < 6; t++)
                for (int i = 0; i < plane; i++) sum += Math.pow(x[(t * channels + c) * plane + i], 2);
            double expected = Math.max(Math.sqrt(sum / (6 * plane)), 1e-5);
            assertEquals(expected, rms[c], 1e-6 * expected, "sample_rms channel " + c);
        }
        assertEquals(1e-5f, rms[4], "the zero velocity_z channel gets the floor");
        float[] normalized = a.get("normalized_input").toFloatArray();
        for (int i = 0; i < x.length; i += 97) {
            int c = (i / plane) % channels;
            assertEquals(x[i] / rms[c], normalized[i], 1e-6 * Math.max(1, Math.abs(normalized[i])));
        }
    }

    @Test
    void writeThenReadIsBitIdenticalAndAligned() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("odd_bf16", Tensor.of(new float[] {1.5f, -2.25f, 3e-3f}, 3).to(DType.BFLOAT16));
        in.put("weights", Tensor.randn(DType.FLOAT32, Device.CPU, 4, 5));
        in.put("steps", Tensor.ofLongs(new long[] {7, -1, Long.MAX_VALUE}, 3));
        in.put("half", Tensor.of(new float[] {0.5f, 65504f}, 2, 1).to(DType.FLOAT16));
        in.put("scalar", Tensor.of(new double[] {Math.PI}, 1));
        Path f = dir.resolve("t.safetensors");
        SafeTensors.write(f, in, Map.of("format", "pt", "note", "written by walrus-java"));

        Map<String, Tensor> out = SafeTensors.read(f);
        assertEquals(in.keySet().stream().toList(), out.keySet().stream().toList());
        for (String k : in.keySet()) {
            assertEquals(in.get(k).dtype(), out.get(k).dtype(), k);
            assertArrayEquals(in.get(k).shape(), out.get(k).shape(), k);
            assertEquals(in.get(k).toBytes(), out.get(k).toBytes(), k);
        }
        assertEquals(Map.of("format", "pt", "note", "written by walrus-java"), SafeTensors.metadata(f));

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = bytes.getLong(0);
        assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
        assertEquals(' ', bytes.get((int) (8 + headerLength - 1)), "padding is spaces");
        for (SafeTensors.Entry e : SafeTensors.readHeader(f).entries())
            assertEquals(0, e.begin() % e.dtype().bytes, e.name() + " starts aligned to its element width");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void truncatedFileNamesTheFileAndTheProblem() throws IOException {
        byte[] all = Files.readAllBytes(TINY.resolve("case_b.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 1000));
        UserError e = assertThrows(UserError.class, () -> SafeTensors.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path headerOnly = dir.resolve("header-cut.safetensors");
        Files.write(headerOnly, Arrays.copyOf(all, 200));
        UserError h = assertThrows(UserError.class, () -> SafeTensors.read(headerOnly));
        assertTrue(h.getMessage().contains("header length"), h.getMessage());
    }

    @Test
    void corruptHeadersAreOneLineErrors() throws IOException {
        assertCorrupt("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", 8, "not valid JSON");
        assertCorrupt("{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [2], \"data_offsets\": [0, 2]}}", 2,
                "dtype 'F8_E4M3'");
        assertCorrupt("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8, "needs 12 bytes");
        assertCorrupt("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 8]}}", 8,
                "not a non-negative integer");
        assertCorrupt("{\"a\": {\"dtype\": \"F32\", \"shape\": [2]}}", 8, "data_offsets is missing");
        assertCorrupt("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "Duplicate field");
        assertCorrupt("[1, 2]", 0, "not a JSON object");
    }

    private void assertCorrupt(String header, int dataBytes, String expected) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve("corrupt.safetensors");
        Files.write(f, b.array());
        UserError e = assertThrows(UserError.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void failedWriteLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        SafeTensors.write(f, Map.of("x", Tensor.of(new float[] {1, 2}, 2)));
        byte[] before = Files.readAllBytes(f);
        assertThrows(UserError.class, () -> SafeTensors.write(f, Map.of("__metadata__", Tensor.scalar(1))));
        assertArrayEquals(before, Files.readAllBytes(f));
    }
}
