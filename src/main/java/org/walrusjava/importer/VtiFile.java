package org.walrusjava.importer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.walrusjava.UserError;
import org.xml.sax.SAXException;

/**
 * One VTK XML ImageData file ({@code .vti}): its grid (extent, origin, spacing) and the point or cell data arrays
 * of its single piece, decoded from any of the layouts VTK writes: {@code ascii}, inline {@code binary} (base64)
 * and {@code appended} (raw or base64), each binary block optionally zlib-compressed ({@code vtkZLibDataCompressor}),
 * with UInt32 or UInt64 block headers, either byte order.
 *
 * <p>Binary block layout (VTK file-format documentation, "Binary data" and "Compressed data"): an uncompressed
 * block is a header integer holding the byte count, then the bytes; a compressed block is the header
 * {@code [#blocks][#u-size][#p-size][#c-size-1]...[#c-size-n]}, then the zlib streams one after another, every
 * block inflating to {@code u-size} bytes except the last ({@code p-size}, when non-zero). In base64, VTK encodes the
 * header and the data as two separate base64 strings (the header's padding then sits between them); some other
 * writers encode both as one string, which this reader accepts too.
 *
 * <p>The XML is read with the JDK's parser; raw appended data is not XML, so the text before
 * {@code <AppendedData} is parsed on its own and the bytes after its {@code _} marker are read directly.
 */
public record VtiFile(Path path, int[] points, double[] origin, double[] spacing, Map<String, VtiArray> arrays) {

    /** A data array: values tuple by tuple (x fastest, then y, then z; components innermost). */
    public record VtiArray(String name, boolean cellData, int components, double[] values) {
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"");

    /** Grid points per axis of the data: point data over the extent's points, cell data over its cells. */
    public int[] size(boolean cellData) {
        return Arrays.stream(points).map(n -> cellData ? Math.max(1, n - 1) : n).toArray();
    }

    public static VtiFile read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UserError(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        int appended = indexOf(bytes, "<AppendedData".getBytes(StandardCharsets.US_ASCII));
        byte[] xml = bytes;
        Appended data = null;
        if (appended >= 0) {
            int tagEnd = indexOf(bytes, appended, '>');
            int underscore = tagEnd < 0 ? -1 : indexOf(bytes, tagEnd, '_');
            if (underscore < 0) throw new UserError(path + ": AppendedData without its '_' marker");
            String tag = new String(bytes, appended, tagEnd - appended, StandardCharsets.US_ASCII);
            data = new Appended(bytes, underscore + 1, "base64".equals(attributes(tag).get("encoding")));
            xml = (new String(bytes, 0, appended, StandardCharsets.ISO_8859_1) + "</VTKFile>").getBytes(StandardCharsets.ISO_8859_1);
        }
        try {
            return parse(path, parseXml(path, xml), data);
        } catch (RuntimeException e) {
            if (e instanceof UserError u) throw u;
            throw new UserError(path + ": malformed VTK data (" + e + ")", e);
        }
    }

    private static Document parseXml(Path path, byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new UserError(path + ": not a readable VTK XML file (" + e.getMessage() + ")", e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes after the AppendedData marker; {@code base64}: encoded as text, offsets count characters. */
    private record Appended(byte[] bytes, int start, boolean base64) {
    }

    /** How binary blocks are laid out in this file. */
    private record Layout(Path path, ByteOrder order, int headerBytes, boolean compressed) {
        long header(ByteBuffer b, int i) {
            return headerBytes == 8 ? b.order(order).getLong(i * 8) : Integer.toUnsignedLong(b.order(order).getInt(i * 4));
        }
    }

    private static VtiFile parse(Path path, Document doc, Appended appended) {
        Element root = doc.getDocumentElement();
        if (!"VTKFile".equals(root.getTagName()) || !"ImageData".equals(root.getAttribute("type"))) {
            throw new UserError(path + ": not VTK ImageData (type=\"" + root.getAttribute("type") + "\"); walrus import"
                    + " reads uniform grids (.vti); resample other meshes onto an image grid first");
        }
        String compressor = root.getAttribute("compressor");
        if (!compressor.isEmpty() && !compressor.equals("vtkZLibDataCompressor")) {
            throw new UserError(path + ": compressor " + compressor + " is not supported; write zlib-compressed or"
                    + " uncompressed data");
        }
        Layout layout = new Layout(path, "BigEndian".equals(root.getAttribute("byte_order")) ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN, "UInt64".equals(root.getAttribute("header_type")) ? 8 : 4, !compressor.isEmpty());
        Element image = single(path, root, "ImageData");
        long[] extent = numbers(path, image.getAttribute("WholeExtent"), 6);
        int[] points = {(int) (extent[1] - extent[0] + 1), (int) (extent[3] - extent[2] + 1), (int) (extent[5] - extent[4] + 1)};
        double[] origin = doubles(image.getAttribute("Origin"), 0);
        double[] spacing = doubles(image.getAttribute("Spacing"), 1);
        String direction = image.getAttribute("Direction");
        if (!direction.isEmpty() && !Arrays.equals(doubles(direction, 0), new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1})) {
            throw new UserError(path + ": the grid is rotated (Direction=\"" + direction + "\"); only axis-aligned grids"
                    + " can be imported");
        }
        NodeList pieces = image.getElementsByTagName("Piece");
        if (pieces.getLength() != 1) {
            throw new UserError(path + ": " + pieces.getLength() + " pieces; walrus import reads single-piece files"
                    + " (merge the pieces, e.g. with ParaView's MergeBlocks, and save again)");
        }
        Map<String, VtiArray> arrays = new LinkedHashMap<>();
        Element piece = (Element) pieces.item(0);
        for (String section : List.of("PointData", "CellData")) {
            NodeList found = piece.getElementsByTagName(section);
            if (found.getLength() == 0) continue;
            NodeList dataArrays = ((Element) found.item(0)).getElementsByTagName("DataArray");
            for (int i = 0; i < dataArrays.getLength(); i++) {
                Element a = (Element) dataArrays.item(i);
                boolean cells = section.equals("CellData");
                int tuples = Arrays.stream(points).map(n -> cells ? Math.max(1, n - 1) : n).reduce(1, Math::multiplyExact);
                VtiArray array = array(layout, a, cells, tuples, appended);
                if (arrays.put(array.name(), array) != null) throw new UserError(path + ": array " + array.name() + " appears twice");
            }
        }
        return new VtiFile(path, points, origin, spacing, arrays);
    }

    private static VtiArray array(Layout layout, Element a, boolean cells, int tuples, Appended appended) {
        String name = a.getAttribute("Name");
        String label = layout.path() + ":" + name;
        int components = a.getAttribute("NumberOfComponents").isEmpty() ? 1
                : Integer.parseInt(a.getAttribute("NumberOfComponents").strip());
        String type = a.getAttribute("type");
        int width = switch (type) {
            case "Float32" -> 4;
            case "Float64" -> 8;
            default -> throw new UserError(label + ": type " + type + " is not supported (Float32 or Float64 data)");
        };
        int count = Math.multiplyExact(tuples, components);
        String format = a.getAttribute("format");
        double[] values = switch (format) {
            case "ascii" -> ascii(label, a.getTextContent(), count);
            case "binary" -> numbers(layout, label, block(layout, label, new Base64Text(stripWhitespace(a.getTextContent()), 0)),
                    width, count);
            case "appended" -> {
                if (appended == null) throw new UserError(label + ": format appended but the file has no AppendedData");
                int offset = Integer.parseInt(a.getAttribute("offset").strip());
                BlockSource source = appended.base64() ? new Base64Text(appended.bytes(), appended.start() + offset)
                        : new RawBytes(appended.bytes(), appended.start() + offset);
                yield numbers(layout, label, block(layout, label, source), width, count);
            }
            default -> throw new UserError(label + ": unknown format \"" + format + "\" (ascii, binary or appended)");
        };
        return new VtiArray(name, cells, components, values);
    }

    private static double[] ascii(String label, String text, int count) {
        String[] tokens = text.strip().split("\\s+");
        if (tokens.length != count) throw new UserError(label + ": " + tokens.length + " ascii values, expected " + count);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Double.parseDouble(tokens[i]);
            } catch (NumberFormatException e) {
                throw new UserError(label + ": '" + tokens[i] + "' is not a number (value " + i + ")");
            }
        }
        return out;
    }

    private static double[] numbers(Layout layout, String label, byte[] data, int width, int count) {
        if (data.length != (long) count * width) {
            throw new UserError(label + ": " + data.length + " bytes of data, expected " + (long) count * width + " for "
                    + count + " values");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(layout.order());
        double[] out = new double[count];
        for (int i = 0; i < count; i++) out[i] = width == 4 ? b.getFloat(i * 4) : b.getDouble(i * 8);
        return out;
    }

    /** Where a binary block's bytes come from: raw bytes, or base64 text. */
    private interface BlockSource {
        /** The block's first {@code n} bytes when the block is one encoding of header and data together. */
        byte[] prefix(int n);

        /** The header ({@code headerLength} bytes) and the {@code dataLength} data bytes after it. */
        byte[][] split(int headerLength, long dataLength);
    }

    private record RawBytes(byte[] bytes, int start) implements BlockSource {
        public byte[] prefix(int n) {
            return Arrays.copyOfRange(bytes, start, start + n);
        }

        public byte[][] split(int headerLength, long dataLength) {
            int from = start + headerLength;
            return new byte[][] {prefix(headerLength), Arrays.copyOfRange(bytes, from, Math.toIntExact(from + dataLength))};
        }
    }

    private record Base64Text(byte[] text, int start) implements BlockSource {
        Base64Text(String text, int start) {
            this(text.getBytes(StandardCharsets.US_ASCII), start);
        }

        public byte[] prefix(int n) {
            return decode(start, encodedLength(n));
        }

        public byte[][] split(int headerLength, long dataLength) {
            int headerChars = encodedLength(headerLength);
            boolean separate = headerLength % 3 == 0 || text[start + headerChars - 1] == '=';
            if (separate) {
                return new byte[][] {decode(start, headerChars),
                        decode(start + headerChars, encodedLength(Math.toIntExact(dataLength)))};
            }
            byte[] both = decode(start, encodedLength(Math.toIntExact(headerLength + dataLength)));
            return new byte[][] {Arrays.copyOf(both, headerLength), Arrays.copyOfRange(both, headerLength, both.length)};
        }

        private static int encodedLength(int bytes) {
            return 4 * ((bytes + 2) / 3);
        }

        private byte[] decode(int from, int chars) {
            if (from + chars > text.length) throw new IllegalArgumentException("base64 data ends early");
            return Base64.getDecoder().decode(Arrays.copyOfRange(text, from, from + chars));
        }
    }

    /** The data bytes of one binary block, inflated when compressed. */
    private static byte[] block(Layout layout, String label, BlockSource source) {
        int h = layout.headerBytes();
        if (!layout.compressed()) {
            long n = layout.header(ByteBuffer.wrap(source.prefix(h)), 0);
            return source.split(h, n)[1];
        }
        int blocks = Math.toIntExact(layout.header(ByteBuffer.wrap(source.prefix(h)), 0));
        int headerLength = (3 + blocks) * h;
        ByteBuffer header = ByteBuffer.wrap(source.prefix(headerLength));
        long compressed = 0;
        for (int i = 0; i < blocks; i++) compressed += layout.header(header, 3 + i);
        byte[][] parts = source.split(headerLength, compressed);
        header = ByteBuffer.wrap(parts[0]);
        long blockSize = layout.header(header, 1);
        long lastSize = layout.header(header, 2);
        List<byte[]> inflated = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < blocks; i++) {
            int size = Math.toIntExact(layout.header(header, 3 + i));
            long expected = i == blocks - 1 && lastSize != 0 ? lastSize : blockSize;
            inflated.add(inflate(label, parts[1], at, size, Math.toIntExact(expected)));
            at += size;
        }
        byte[] out = new byte[inflated.stream().mapToInt(b -> b.length).sum()];
        int pos = 0;
        for (byte[] b : inflated) {
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }
        return out;
    }

    private static byte[] inflate(String label, byte[] data, int offset, int length, int expected) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, offset, length);
            byte[] out = new byte[expected];
            int n = inflater.inflate(out);
            if (n != expected || !inflater.finished()) {
                throw new UserError(label + ": a zlib block inflated to " + n + " bytes, its header says " + expected);
            }
            return out;
        } catch (DataFormatException e) {
            throw new UserError(label + ": corrupt zlib data (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private static Element single(Path path, Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        if (list.getLength() != 1) throw new UserError(path + ": expected one " + tag + " element, found " + list.getLength());
        return (Element) list.item(0);
    }

    private static long[] numbers(Path path, String text, int count) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != count) throw new UserError(path + ": expected " + count + " integers, got \"" + text + "\"");
        return Arrays.stream(parts).mapToLong(Long::parseLong).toArray();
    }

    private static double[] doubles(String text, double fallback) {
        if (text.isBlank()) return new double[] {fallback, fallback, fallback};
        return Arrays.stream(text.strip().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }

    private static String stripWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static int indexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) if (bytes[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, int from, char c) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == c) return i;
        return -1;
    }
}
