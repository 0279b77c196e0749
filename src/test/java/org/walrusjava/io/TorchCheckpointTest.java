package org.walrusjava.io;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.io.TorchCheckpoint.SavedStorage;
import org.walrusjava.io.TorchCheckpoint.SavedTensor;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Tensor;

class TorchCheckpointTest {
    static final Path TINY = Path.of(System.getProperty("walrus.fixtures"), "walrus-tiny");
    static final Path WALRUS_PT = TINY.resolve("walrus.pt");

    /** Released dimension -> tiny dimension (hidden 1408 -> 64, intermediate 352 -> 16, 16 heads -> 4, ...). */
    private static final Map<Long, Long> TINY_DIMS = Map.of(1408L, 64L, 352L, 16L, 9856L, 448L, 2816L, 128L,
            4224L, 192L, 88L, 16L, 11L, 2L, 16L, 4L);

    @TempDir
    Path dir;

    @Test
    void tinyCheckpointHasTheReleasedKeysAndScaledShapes() throws IOException {
        Map<String, Tensor> sd = TorchCheckpoint.read(WALRUS_PT);
        JsonNode manifest = new ObjectMapper().readTree(TINY.resolve("full_model_manifest.json").toFile())
                .get("state_dict");
        List<String> expectedKeys = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String key = entry.get("key").asText();
            if (key.startsWith("blocks.") && Integer.parseInt(key.split("\\.")[1]) >= 2) continue;
            expectedKeys.add(key);
            JsonNode released = entry.get("shape");
            long[] shape = new long[released.size()];
            for (int i = 0; i < shape.length; i++) {
                long d = released.get(i).asLong();
                shape[i] = TINY_DIMS.getOrDefault(d, d);
            }
            assertArrayEquals(shape, sd.get(key).shape(), key);
        }
        assertEquals(expectedKeys, List.copyOf(sd.keySet()), "same keys in the same order");
        assertEquals(59, sd.size());
        assertArrayEquals(new long[] {16, 67, 8, 8, 8}, sd.get("embed.2.proj1.weight").shape());

        long parameters = sd.entrySet().stream().filter(e -> !e.getKey().endsWith("rotary_emb.freqs"))
                .mapToLong(e -> e.getValue().numel()).sum();
        assertEquals(2_574_919, parameters, "README: 2,574,919 parameters");
        assertTrue(sd.values().stream().allMatch(t -> t.dtype() == DType.FLOAT32));

        assertEquals(1.3f, sd.get("encoder_dummy").item());
        for (int b = 0; b < 2; b++)
            assertArrayEquals(new float[] {(float) Math.PI, (float) (128 * Math.PI)},
                    sd.get("blocks." + b + ".space_mixing.rotary_emb.freqs").toFloatArray(), 1e-5f);
        // Norm weights were drawn as 1 + 0.1 N(0, 1).
        float[] norm = sd.get("blocks.0.space_mixing.norm1.weight").toFloatArray();
        double mean = 0;
        for (float v : norm) mean += v / norm.length;
        assertEquals(1.0, mean, 0.05);
    }

    @Test
    void roundTripsThroughOurWriterBitForBit() throws IOException {
        Map<String, Tensor> original = TorchCheckpoint.read(WALRUS_PT);
        Path pt = dir.resolve("copy.pt");
        TorchCheckpoint.write(pt, original);
        assertBitIdentical(original, TorchCheckpoint.read(pt));
        assertTorchLayout(pt, original.size());

        Path st = dir.resolve("copy.safetensors");
        SafeTensors.write(st, original);
        Path back = dir.resolve("back.pt");
        TorchCheckpoint.write(back, SafeTensors.read(st));
        assertBitIdentical(original, TorchCheckpoint.read(back));
        assertArrayEquals(Files.readAllBytes(pt), Files.readAllBytes(back), "the writer is deterministic");
    }

    /** The archive as torch.save lays it out: CRCs right, 64-byte aligned records, version and byte order. */
    private static void assertTorchLayout(Path pt, int tensors) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(pt))) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod());
                byte[] content = zin.readAllBytes(); // ZipInputStream checks each entry's CRC-32
                if (e.getName().equals("archive/version")) assertEquals("3\n", new String(content, StandardCharsets.US_ASCII));
                if (e.getName().equals("archive/byteorder")) assertEquals("little", new String(content, StandardCharsets.US_ASCII));
            }
        }
        assertEquals("archive/data.pkl", names.get(0), "PyTorch takes the folder name from the first record");
        assertEquals(tensors + 3, names.size());
        assertTrue(names.containsAll(List.of("archive/byteorder", "archive/version", "archive/data/0")));
        try (ZipArchive zip = ZipArchive.open(pt)) {
            for (ZipArchive.Entry e : zip.entries.values())
                assertEquals(0, zip.dataOffset(e) % 64, e.name() + " is 64-byte aligned");
        }
    }

    private static void assertBitIdentical(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((k, t) -> {
            assertEquals(t.dtype(), actual.get(k).dtype(), k);
            assertArrayEquals(t.shape(), actual.get(k).shape(), k);
            assertEquals(t.toBytes(), actual.get(k).toBytes(), k);
        });
    }

    @Test
    void readsOffsetAndStridedViewsOfSharedStorages() {
        ByteBuffer floats = ByteBuffer.allocate(12 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) floats.putFloat(i);
        floats.flip();
        Tensor bf16 = Tensor.of(new float[] {1.5f, -0.375f, 1024f, 3e-3f}, 2, 2).to(DType.BFLOAT16);
        List<SavedStorage> storages = List.of(new SavedStorage(DType.FLOAT32, 12, floats::duplicate),
                new SavedStorage(DType.BFLOAT16, 4, bf16::toBytes));
        List<SavedTensor> tensors = List.of(
                new SavedTensor("transposed", 0, 1, new long[] {3, 2}, new long[] {1, 3}),
                new SavedTensor("second_row_block", 0, 6, new long[] {2, 3}, new long[] {3, 1}),
                new SavedTensor("every_other", 0, 2, new long[] {4}, new long[] {2}),
                new SavedTensor("scalar", 0, 5, new long[] {}, new long[] {}),
                new SavedTensor("half_precision", 1, 0, new long[] {2, 2}, new long[] {2, 1}));
        Path pt = dir.resolve("views.pt");
        TorchCheckpoint.writeArchive(pt, TorchCheckpoint.RELEASED_NESTING, storages, tensors);

        Map<String, Tensor> sd = TorchCheckpoint.read(pt);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, sd.get("transposed").toFloatArray());
        assertArrayEquals(new long[] {3, 2}, sd.get("transposed").shape());
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, sd.get("second_row_block").toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6, 8}, sd.get("every_other").toFloatArray());
        assertEquals(0, sd.get("scalar").dim());
        assertEquals(5f, sd.get("scalar").item());
        assertEquals(DType.BFLOAT16, sd.get("half_precision").dtype());
        assertEquals(bf16.toBytes(), sd.get("half_precision").toBytes());
        assertArrayEquals(new float[] {1.5f, -0.375f, 1024f, 0.0030059814f}, sd.get("half_precision").toFloatArray());

        // In-place updates of a loaded weight (fine-tuning) stay in memory: the mapping is copy-on-write.
        sd.get("second_row_block").fill_(-1f);
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, TorchCheckpoint.read(pt).get("second_row_block").toFloatArray());
    }

    @Test
    void findsTheStateDictUnderAnyUsualNesting() {
        for (List<String> nesting : List.of(List.<String>of(), List.of("model"), List.of("state_dict"),
                List.of("app", "model"))) {
            Path pt = dir.resolve("nested" + nesting.size() + nesting.hashCode() + ".pt");
            Tensor w = Tensor.of(new float[] {1, 2, 3}, 3);
            TorchCheckpoint.writeArchive(pt, nesting, List.of(new SavedStorage(DType.FLOAT32, 3, w::toBytes)),
                    List.of(new SavedTensor("layer.weight", 0, 0, new long[] {3}, new long[] {1})));
            Map<String, Tensor> sd = TorchCheckpoint.read(pt);
            assertEquals(List.of("layer.weight"), List.copyOf(sd.keySet()), nesting.toString());
            assertArrayEquals(new float[] {1, 2, 3}, sd.get("layer.weight").toFloatArray());
        }
    }

    @Test
    void writesEveryDtypeTorchHasAStorageFor() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("f64", Tensor.of(new double[] {Math.E, -1e300}, 2));
        in.put("f16", Tensor.of(new float[] {0.1f, 65504f, -2f}, 3).to(DType.FLOAT16));
        in.put("i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE, 0, 42}, 3, 1));
        in.put("big_dims", Tensor.zeros(1, 70000).to(DType.BFLOAT16));
        Path pt = dir.resolve("dtypes.pt");
        TorchCheckpoint.write(pt, in);
        assertBitIdentical(in, TorchCheckpoint.read(pt));
    }

    @Test
    void truncatedCheckpointIsOneUserError() throws IOException {
        long size = Files.size(WALRUS_PT);
        for (long keep : new long[] {10, 5000, size / 2, size - 30, size - 1}) {
            Path cut = dir.resolve("cut" + keep + ".pt");
            try (InputStream in = Files.newInputStream(WALRUS_PT)) {
                Files.write(cut, in.readNBytes((int) keep));
            }
            UserError e = assertThrows(UserError.class, () -> TorchCheckpoint.read(cut), "kept " + keep);
            assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    /** Overwrites length bytes with zeros from the start of the largest storage record plus skip; returns its name. */
    private static String zeroInsideLargestStorage(Path pt, long skip, int length) throws IOException {
        ZipArchive.Entry largest;
        long start;
        try (ZipArchive zip = ZipArchive.open(pt)) {
            largest = zip.entries.values().stream().filter(e -> e.name().contains("/data/"))
                    .max(java.util.Comparator.comparingLong(ZipArchive.Entry::size)).orElseThrow();
            assertTrue(largest.size() >= skip + length, largest + " is too small for the test");
            start = zip.dataOffset(largest) + skip;
        }
        try (FileChannel ch = FileChannel.open(pt, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(length), start);
        }
        return largest.name();
    }

    @Test
    void aBlockOfZerosInAStorageIsRefusedByName() throws IOException {
        Path damaged = Files.copy(WALRUS_PT, dir.resolve("damaged.pt"));
        String entry = zeroInsideLargestStorage(damaged, 1000, 4096);
        UserError e = assertThrows(UserError.class, () -> TorchCheckpoint.read(damaged));
        assertTrue(e.getMessage().startsWith(damaged + ": entry " + entry + " is damaged (its CRC-32 is "),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(TorchCheckpoint.read(WALRUS_PT).isEmpty(), "the intact original still loads");
    }

    @Test
    void aDamagedPickleIsRefusedByNameBeforeItIsParsed() throws IOException {
        byte[] pickle = StateDictPickle.encode(List.of(),
                List.of(new SavedStorage(DType.FLOAT32, 4, () -> ByteBuffer.allocate(16))),
                List.of(new SavedTensor("weight", 0, 0, new long[] {4}, new long[] {1})));
        Path pt = archive("pickle.pt", Map.of("a/data.pkl", pickle, "a/data/0", new byte[16]));
        try (ZipArchive zip = ZipArchive.open(pt); FileChannel ch = FileChannel.open(pt, StandardOpenOption.WRITE)) {
            long at = zip.dataOffset(zip.entries.get("a/data.pkl"));
            // "weight" becomes "weighs": still a valid pickle, so only the CRC can tell
            int w = new String(pickle, StandardCharsets.ISO_8859_1).indexOf("weight");
            ch.write(ByteBuffer.wrap(new byte[] {'s'}), at + w + 5);
        }
        UserError e = assertThrows(UserError.class, () -> TorchCheckpoint.read(pt));
        assertTrue(e.getMessage().startsWith(pt + ": entry a/data.pkl is damaged"), e.getMessage());
    }

    @Test
    void missingStorageRecordIsNamed() throws IOException {
        byte[] pickle = StateDictPickle.encode(List.of("app", "model"),
                List.of(new SavedStorage(DType.FLOAT32, 4, () -> ByteBuffer.allocate(16))),
                List.of(new SavedTensor("w", 0, 0, new long[] {4}, new long[] {1})));
        Path pt = archive("missing.pt", Map.of("walrus/data.pkl", pickle, "walrus/version", "3\n".getBytes()));
        UserError e = assertThrows(UserError.class, () -> TorchCheckpoint.read(pt));
        assertTrue(e.getMessage().contains("record walrus/data/0 (tensor w) is missing"), e.getMessage());
    }

    @Test
    void storageTooSmallForItsTensorIsNamed() throws IOException {
        byte[] pickle = StateDictPickle.encode(List.of(),
                List.of(new SavedStorage(DType.FLOAT32, 4, () -> ByteBuffer.allocate(16))),
                List.of(new SavedTensor("w", 0, 0, new long[] {4}, new long[] {1})));
        Path pt = archive("short.pt", Map.of("a/data.pkl", pickle, "a/data/0", new byte[12]));
        UserError e = assertThrows(UserError.class, () -> TorchCheckpoint.read(pt));
        assertTrue(e.getMessage().contains("record a/data/0 has 12 bytes"), e.getMessage());
    }

    @Test
    void pickledCodeIsRefusedNotRun() throws IOException {
        byte[] evil = "\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        Path pt = archive("evil.pt", Map.of("archive/data.pkl", evil));
        UserError e = assertThrows(UserError.class, () -> TorchCheckpoint.read(pt));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());

        byte[] garbage = "\u0080\u0002}q\u0000(X\u0001\u0000\u0000\u0000a".getBytes(StandardCharsets.ISO_8859_1);
        Path bad = archive("garbage.pt", Map.of("archive/data.pkl", garbage));
        UserError g = assertThrows(UserError.class, () -> TorchCheckpoint.read(bad));
        assertTrue(g.getMessage().startsWith(bad + ": archive/data.pkl cannot be loaded"), g.getMessage());
    }

    @Test
    void otherFilesGetClearErrors() throws IOException {
        Path legacy = dir.resolve("legacy.pt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9});
        assertTrue(assertThrows(UserError.class, () -> TorchCheckpoint.read(legacy)).getMessage().contains("before 1.6"));

        Path notTorch = archive("plain.zip", Map.of("readme.txt", "hello".getBytes()));
        assertTrue(assertThrows(UserError.class, () -> TorchCheckpoint.read(notTorch)).getMessage()
                .contains("no <folder>/data.pkl"));

        Path missing = dir.resolve("nope.pt");
        assertEquals(missing + ": no such file",
                assertThrows(UserError.class, () -> TorchCheckpoint.read(missing)).getMessage());
    }

    /** A zip archive with the given records, written by our writer. */
    private Path archive(String name, Map<String, byte[]> records) throws IOException {
        Path f = dir.resolve(name);
        try (FileChannel out = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ZipWriter zip = new ZipWriter(out);
            for (var r : new java.util.TreeMap<>(records).entrySet()) zip.add(r.getKey(), ByteBuffer.wrap(r.getValue()));
            zip.finish();
        }
        return f;
    }
}
