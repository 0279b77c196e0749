package org.walrusjava.io;

import org.walrusjava.AtomicFiles;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming every tensor's dtype,
 * shape and byte range, then the raw little-endian data. Reading maps the file and returns tensors that view
 * it without copying.
 */
public final class SafeTensors {
    static final String METADATA_KEY = "__metadata__";
    /** The reference implementation refuses larger headers; so do we, before allocating anything. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SafeTensors() {}

    /** One tensor's entry in the header; begin and end are byte offsets into the data section. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {}

    /** Every tensor in the file, in header order, as views of the memory-mapped file. */
    public static Map<String, Tensor> read(Path file) {
        Header header = readHeader(file);
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (NativeScope scope = NativeScope.open()) {
            MappedFile mapped = MappedFile.open(file);
            for (Entry e : header.entries())
                out.put(e.name(), scope.keep(mapped.contiguous(header.dataStart() + e.begin(), e.dtype(), e.shape())));
        }
        return out;
    }

    /** The optional string-to-string metadata of the header (empty if there is none). */
    public static Map<String, String> metadata(Path file) {
        return readHeader(file).metadata();
    }

    public static void write(Path file, Map<String, Tensor> tensors) {
        write(file, tensors, Map.of());
    }

    /**
     * Writes the tensors (header in the map's order) and optional metadata, atomically. Data is laid out widest
     * dtype first so that every tensor starts aligned to its element width and can be mapped in place.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        if (tensors.containsKey(METADATA_KEY))
            throw new UserError(file + ": '" + METADATA_KEY + "' is reserved and cannot name a tensor");
        List<String> dataOrder = new ArrayList<>(tensors.keySet());
        dataOrder.sort(Comparator.comparingInt((String k) -> -tensors.get(k).dtype().bytes));
        Map<String, long[]> ranges = new LinkedHashMap<>();
        long offset = 0;
        for (String k : dataOrder) {
            Tensor t = tensors.get(k);
            long length = t.numel() * t.dtype().bytes;
            ranges.put(k, new long[] {offset, offset + length});
            offset += length;
        }
        byte[] header = headerBytes(tensors, ranges, metadata);
        AtomicFiles.writeChannel(file, out -> {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            AtomicFiles.writeFully(out, prefix);
            AtomicFiles.writeFully(out, ByteBuffer.wrap(header));
            for (String k : dataOrder) AtomicFiles.writeFully(out, tensors.get(k).toBytes());
        });
    }

    private static byte[] headerBytes(Map<String, Tensor> tensors, Map<String, long[]> ranges,
            Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        tensors.forEach((name, t) -> {
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", t.dtype().safetensorsName);
            ArrayNode shape = entry.putArray("shape");
            for (long s : t.shape()) shape.add(s);
            ArrayNode offsets = entry.putArray("data_offsets");
            for (long o : ranges.get(name)) offsets.add(o);
        });
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces so the data section starts 8-byte aligned.
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    static Header readHeader(Path file) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = in.size();
            if (fileSize < 8)
                throw new UserError(file + ": " + fileSize + " bytes is too short for a safetensors file");
            ByteBuffer prefix = readAt(in, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = prefix.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8)
                throw new UserError(file + ": safetensors header length " + Long.toUnsignedString(headerLength)
                        + " does not fit the file's " + fileSize + " bytes (truncated, or not a safetensors file)");
            byte[] json = readAt(in, 8, (int) headerLength).array();
            return parseHeader(file, json, 8 + headerLength, fileSize);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e + ")", e);
        }
    }

    private static ByteBuffer readAt(FileChannel in, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (in.read(buf, position + buf.position()) < 0) throw new IOException("unexpected end of file");
        }
        return buf.flip();
    }

    private static Header parseHeader(Path file, byte[] json, long dataStart, long fileSize) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": safetensors header is not valid JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot parse safetensors header (" + e + ")", e);
        }
        if (root == null || !root.isObject()) throw new UserError(file + ": safetensors header is not a JSON object");
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!value.isObject()) throw new UserError(file + ": '" + METADATA_KEY + "' is not a JSON object");
                for (var m : value.properties()) {
                    if (!m.getValue().isTextual())
                        throw new UserError(file + ": metadata '" + m.getKey() + "' is not a string");
                    metadata.put(m.getKey(), m.getValue().asText());
                }
            } else {
                entries.add(entry(file, name, value, fileSize - dataStart));
            }
        }
        return new Header(List.copyOf(entries), metadata, dataStart);
    }

    private static Entry entry(Path file, String name, JsonNode v, long dataBytes) {
        String where = file + ": tensor '" + name + "'";
        if (!v.isObject()) throw new UserError(where + " is not described by a JSON object");
        JsonNode dtypeNode = v.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw new UserError(where + " has no dtype");
        DType dtype;
        try {
            dtype = DType.fromSafetensors(dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new UserError(where + " has dtype '" + dtypeNode.asText() + "'; supported: "
                    + Arrays.stream(DType.values()).map(d -> d.safetensorsName).toList());
        }
        long[] shape = naturals(where + " shape", v.get("shape"), -1);
        long[] offsets = naturals(where + " data_offsets", v.get("data_offsets"), 2);
        long begin = offsets[0], end = offsets[1];
        long need = byteCount(where, shape, dtype);
        if (end < begin || end - begin != need)
            throw new UserError(where + " has data_offsets [" + begin + ", " + end + "] but shape "
                    + Arrays.toString(shape) + " of " + dtype.safetensorsName + " needs " + need + " bytes");
        if (end > dataBytes)
            throw new UserError(where + " data ends at byte " + end + " of a data section of only " + dataBytes
                    + " bytes (the file is truncated)");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long byteCount(String where, long[] shape, DType dtype) {
        try {
            long n = dtype.bytes;
            for (long s : shape) n = Math.multiplyExact(n, s);
            return n;
        } catch (ArithmeticException e) {
            throw new UserError(where + " has an impossibly large shape " + Arrays.toString(shape));
        }
    }

    /** A JSON array of non-negative integers (of the given length, unless it is -1). */
    private static long[] naturals(String what, JsonNode node, int length) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length))
            throw new UserError(what + " is missing or not an array" + (length >= 0 ? " of " + length : ""));
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = node.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0)
                throw new UserError(what + " holds '" + n + "', not a non-negative integer");
            out[i] = n.asLong();
        }
        return out;
    }
}
