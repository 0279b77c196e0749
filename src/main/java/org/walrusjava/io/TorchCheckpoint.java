package org.walrusjava.io;

import org.walrusjava.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.walrusjava.UserError;
import org.walrusjava.io.TorchPickle.StorageRef;
import org.walrusjava.io.TorchPickle.TensorRef;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * PyTorch checkpoints as torch.save writes them: a zip archive holding data.pkl (the pickled object tree) and
 * one uncompressed record per storage. Reading returns the state dict with every tensor a view of the
 * memory-mapped file (nothing passes through the Java heap but the pickle); writing produces the layout of the
 * released Walrus checkpoint, {"app": {"model": state_dict}}, which torch.load(weights_only=True) accepts.
 */
public final class TorchCheckpoint {
    private static final String ARCHIVE = "archive/";
    /** Where the released checkpoint keeps its state dict. */
    static final List<String> RELEASED_NESTING = List.of("app", "model");

    private TorchCheckpoint() {}

    /** A storage to save: numel elements of dtype, produced as little-endian bytes only when written. */
    record SavedStorage(DType dtype, long numel, Supplier<ByteBuffer> bytes) {}

    /** A tensor to save: a strided view (in elements) of the storage with that index. */
    record SavedTensor(String key, int storage, long offset, long[] shape, long[] strides) {}

    /**
     * The state dict of a checkpoint, in its order. It is found at ["app"]["model"] (the released layout),
     * ["model"], ["state_dict"], or at the top level.
     */
    public static Map<String, Tensor> read(Path file) {
        FileHead head = FileHead.of(file);
        if (head.isLegacyTorch())
            throw new UserError(file + ": written in the torch.save format of PyTorch before 1.6, which is not"
                    + " supported; re-save it with a recent PyTorch");
        try (ZipArchive zip = ZipArchive.open(file)) {
            ZipArchive.Entry pickle = pickleEntry(zip);
            String prefix = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
            checkByteOrder(zip, prefix);
            Map<String, TensorRef> refs = stateDict(file, unpickle(zip, pickle));
            Map<String, Long> storageOffsets = storageOffsets(zip, prefix, refs);
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (NativeScope scope = NativeScope.open()) {
                MappedFile mapped = MappedFile.open(file);
                verifyStorages(zip, prefix, storageOffsets, mapped);
                refs.forEach((key, ref) -> out.put(key,
                        scope.keep(tensor(mapped, storageOffsets.get(ref.storage().key()), ref))));
            }
            return out;
        }
    }

    /** Writes the state dict as {"app": {"model": OrderedDict}}, one storage per tensor, atomically. */
    public static void write(Path file, Map<String, Tensor> stateDict) {
        List<SavedStorage> storages = new ArrayList<>();
        List<SavedTensor> tensors = new ArrayList<>();
        stateDict.forEach((key, t) -> {
            storages.add(new SavedStorage(t.dtype(), t.numel(), t::toBytes));
            tensors.add(new SavedTensor(key, storages.size() - 1, 0, t.shape(), rowMajorStrides(t.shape())));
        });
        writeArchive(file, RELEASED_NESTING, storages, tensors);
    }

    /**
     * The general form of {@link #write}: the state dict nested under any keys, and tensors that share storages
     * or are offset or strided views of them.
     */
    static void writeArchive(Path file, List<String> nesting, List<SavedStorage> storages, List<SavedTensor> tensors) {
        for (SavedTensor t : tensors) {
            if (t.storage() < 0 || t.storage() >= storages.size() || !fits(t.shape(), t.strides(), t.offset(),
                    storages.get(t.storage()).numel()))
                throw new IllegalArgumentException("tensor " + t.key() + " does not fit its storage");
        }
        byte[] pickle = StateDictPickle.encode(nesting, storages, tensors);
        AtomicFiles.writeChannel(file, out -> {
            ZipWriter zip = new ZipWriter(out);
            zip.add(ARCHIVE + "data.pkl", ByteBuffer.wrap(pickle));
            zip.add(ARCHIVE + "byteorder", ascii("little"));
            for (int i = 0; i < storages.size(); i++) {
                SavedStorage s = storages.get(i);
                ByteBuffer bytes = s.bytes().get();
                if (bytes.remaining() != s.numel() * s.dtype().bytes)
                    throw new IllegalArgumentException("storage " + i + " has " + bytes.remaining() + " bytes, not "
                            + s.numel() * s.dtype().bytes);
                zip.add(ARCHIVE + "data/" + i, bytes);
            }
            zip.add(ARCHIVE + "version", ascii("3\n"));
            zip.finish();
        });
    }

    /** data.pkl sits in the archive's one top-level folder, whatever torch.save named it. */
    private static ZipArchive.Entry pickleEntry(ZipArchive zip) {
        for (ZipArchive.Entry e : zip.entries.values()) {
            String n = e.name();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) return e;
        }
        throw new UserError(zip.path + ": the zip archive has no <folder>/data.pkl record; it is not a torch.save"
                + " checkpoint");
    }

    private static void checkByteOrder(ZipArchive zip, String prefix) {
        ZipArchive.Entry e = zip.entries.get(prefix + "byteorder");
        if (e == null) return; // older archives are little-endian without saying so
        String order = new String(zip.readSmall(e), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little"))
            throw new UserError(zip.path + ": storages are stored " + order + "-endian; only little-endian is supported");
    }

    private static Object unpickle(ZipArchive zip, ZipArchive.Entry pickle) {
        byte[] bytes = zip.readSmall(pickle);
        try {
            return TorchPickle.parse(bytes);
        } catch (IOException | RuntimeException e) {
            // The unpickler parses untrusted bytes: any failure in it means a corrupt or unsupported pickle.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new UserError(zip.path + ": " + pickle.name() + " cannot be loaded: " + why, e);
        }
    }

    private static Map<String, TensorRef> stateDict(Path file, Object root) {
        Object node = root;
        if (node instanceof Map<?, ?> m && m.get("app") instanceof Map<?, ?> app) node = app;
        if (node instanceof Map<?, ?> m) {
            if (m.get("model") instanceof Map<?, ?> model) node = model;
            else if (m.get("state_dict") instanceof Map<?, ?> sd) node = sd;
        }
        if (!(node instanceof Map<?, ?> dict))
            throw new UserError(file + ": the checkpoint holds a " + typeName(node) + ", not a state dict");
        Map<String, TensorRef> out = new LinkedHashMap<>();
        List<String> notTensors = new ArrayList<>();
        dict.forEach((k, v) -> {
            if (k instanceof String key && v instanceof TensorRef ref) out.put(key, ref);
            else notTensors.add(k + " (" + typeName(v) + ")");
        });
        if (!notTensors.isEmpty())
            throw new UserError(file + ": the state dict has entries that are not tensors: " + abbreviate(notTensors));
        return out;
    }

    /** Where each storage's bytes begin, after checking every record exists, is uncompressed and big enough. */
    private static Map<String, Long> storageOffsets(ZipArchive zip, String prefix, Map<String, TensorRef> refs) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        refs.forEach((key, ref) -> {
            StorageRef s = ref.storage();
            if (!fits(ref.shape(), ref.strides(), ref.offset(), s.numel())) {
                problems.add("tensor " + key + " " + Arrays.toString(ref.shape()) + " reaches beyond its storage of "
                        + s.numel() + " elements");
                return;
            }
            if (offsets.containsKey(s.key())) return;
            String name = prefix + "data/" + s.key();
            ZipArchive.Entry e = zip.entries.get(name);
            if (e == null) problems.add("record " + name + " (tensor " + key + ") is missing");
            else if (e.method() != ZipArchive.STORED)
                problems.add("record " + name + " is compressed; only uncompressed storages can be mapped");
            else if (e.size() < s.numel() * s.dtype().bytes)
                problems.add("record " + name + " has " + e.size() + " bytes, but its " + s.numel() + " "
                        + s.dtype() + " elements need " + s.numel() * s.dtype().bytes);
            else offsets.put(s.key(), zip.dataOffset(e));
        });
        if (!problems.isEmpty()) throw new UserError(zip.path + ": " + abbreviate(problems));
        return offsets;
    }

    /**
     * Checks each storage record against its CRC-32 before any of it is used, so that a damaged block of weights
     * is refused by name instead of silently changing the model's output. The CRC itself runs at 15-20 GB/s; the
     * cost is faulting in the pages (about 2.5 s for the 5 GB released size, README), which the first forward pass
     * would pay anyway since it reads every weight, so checking always beats checking lazily per tensor.
     */
    private static void verifyStorages(ZipArchive zip, String prefix, Map<String, Long> storageOffsets,
            MappedFile mapped) {
        storageOffsets.forEach((key, offset) -> {
            ZipArchive.Entry e = zip.entries.get(prefix + "data/" + key);
            zip.checkCrc(e, mapped.crc32(offset, e.size()));
        });
    }

    private static Tensor tensor(MappedFile mapped, long storageStart, TensorRef ref) {
        DType dtype = ref.storage().dtype();
        if (Arrays.equals(ref.strides(), rowMajorStrides(ref.shape())))
            return mapped.contiguous(storageStart + ref.offset() * dtype.bytes, dtype, ref.shape());
        return mapped.strided(storageStart, ref.storage().numel(), dtype, ref.shape(), ref.strides(), ref.offset());
    }

    /** Whether every element of the view lies inside a storage of that many elements. */
    private static boolean fits(long[] shape, long[] strides, long offset, long storageElements) {
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return true;
            last += (shape[i] - 1) * strides[i];
        }
        return last < storageElements;
    }

    static long[] rowMajorStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = step;
            step *= shape[i];
        }
        return strides;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof Object[] ? "tuple" : o.getClass().getSimpleName();
    }

    /** Lists problems on one line, the first few in full. */
    private static String abbreviate(List<String> items) {
        int shown = Math.min(items.size(), 5);
        String list = String.join("; ", items.subList(0, shown));
        return items.size() > shown ? list + "; and " + (items.size() - shown) + " more" : list;
    }
}
