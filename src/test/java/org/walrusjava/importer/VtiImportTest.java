package org.walrusjava.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.UserError;
import org.walrusjava.data.WellFile;

/**
 * walrus import on VTK ImageData written by a small independent Python writer that follows the VTK file-format
 * documentation byte for byte: every layout (ascii; inline base64 with header and data encoded separately, as VTK
 * does, or together; appended raw and base64), zlib compression over several blocks, UInt32 and UInt64 headers,
 * both byte orders, Float32 and Float64, and the three ways of ordering steps (.pvd, a pattern, a folder).
 */
class VtiImportTest {
    static final int X = 32, Y = 32;

    /** Writes trajectory n's steps in the given layouts; prints nothing. */
    static final String WRITE_VTI = """
            import sys, os, zlib, base64, struct, numpy as np
            root = sys.argv[1]
            def blocks(raw, compress, htype, endian):
                h = ('<' if endian == 'LittleEndian' else '>') + ('Q' if htype == 'UInt64' else 'I')
                if not compress:
                    return struct.pack(h, len(raw)), raw
                bs = 1000
                chunks = [raw[k:k + bs] for k in range(0, len(raw), bs)]
                comp = [zlib.compress(c) for c in chunks]
                last = len(chunks[-1]) if len(chunks[-1]) != bs else 0
                head = struct.pack(h[0] + h[1] * (3 + len(comp)), len(comp), bs, last, *[len(c) for c in comp])
                return head, b''.join(comp)
            def write(path, fmt, n, t, htype='UInt32', endian='LittleEndian', compress=False, joint=False, b64=False):
                i, j = np.meshgrid(np.arange(32), np.arange(32), indexing='ij')
                rho = (4 + n + 0.5 * t + 0.25 * i - 0.125 * j).astype(np.float32)
                vel = np.stack([0.5 * n - 0.25 * t + 0.125 * i, -0.5 * n + 0.0625 * j + t, 0 * i], -1).astype(np.float64)
                # VTK order: x fastest, then y; components innermost
                arrays = [('rho', 'Float32', 1, rho.transpose(1, 0)), ('velocity', 'Float64', 3, vel.transpose(1, 0, 2))]
                bo = '<' if endian == 'LittleEndian' else '>'
                out = [f'<?xml version="1.0"?>\\n<VTKFile type="ImageData" version="1.0" byte_order="{endian}" header_type="{htype}"'
                       + (' compressor="vtkZLibDataCompressor"' if compress else '') + '>\\n'
                       + '<ImageData WholeExtent="0 31 0 31 0 0" Origin="0.5 -1 0" Spacing="0.25 0.125 1">\\n'
                       + '<Piece Extent="0 31 0 31 0 0">\\n<PointData Scalars="rho" Vectors="velocity">\\n']
                appended, offset = [], 0
                for name, vtype, nc, a in arrays:
                    raw = a.astype(bo + ('f4' if vtype == 'Float32' else 'f8')).tobytes()
                    attrs = f'type="{vtype}" Name="{name}" NumberOfComponents="{nc}"'
                    head, data = blocks(raw, compress, htype, endian)
                    if fmt == 'ascii':
                        out.append(f'<DataArray {attrs} format="ascii">\\n' + ' '.join(repr(float(v)) for v in a.reshape(-1)) + '\\n</DataArray>\\n')
                    elif fmt == 'binary':
                        text = base64.b64encode(head + data) if joint else base64.b64encode(head) + base64.b64encode(data)
                        out.append(f'<DataArray {attrs} format="binary">\\n' + text.decode() + '\\n</DataArray>\\n')
                    else:
                        piece = base64.b64encode(head) + base64.b64encode(data) if b64 else head + data
                        out.append(f'<DataArray {attrs} format="appended" offset="{offset}"/>\\n')
                        appended.append(piece)
                        offset += len(piece)
                out.append('</PointData>\\n</Piece>\\n</ImageData>\\n')
                body = ''.join(out).encode()
                if fmt == 'appended':
                    body += f'<AppendedData encoding="{"base64" if b64 else "raw"}">\\n   _'.encode() + b''.join(appended) + b'\\n</AppendedData>\\n'
                body += b'</VTKFile>\\n'
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, 'wb').write(body)
            # trajectory 0: a .pvd listing steps out of order
            write(f'{root}/t0/a.vti', 'ascii', 0, 0)
            write(f'{root}/t0/b.vti', 'binary', 0, 1, htype='UInt64', compress=True)
            write(f'{root}/t0/c.vti', 'appended', 0, 2, compress=True)
            open(f'{root}/t0.pvd', 'w').write('<?xml version="1.0"?>\\n<VTKFile type="Collection" version="0.1">\\n<Collection>\\n'
                + '<DataSet timestep="1.0" part="0" file="t0/c.vti"/>\\n<DataSet timestep="0" part="0" file="t0/a.vti"/>\\n'
                + '<DataSet timestep="0.5" part="0" file="t0/b.vti"/>\\n</Collection>\\n</VTKFile>\\n')
            # trajectory 1: a pattern whose numbers sort numerically (2 before 10)
            write(f'{root}/t1/step_2.vti', 'binary', 1, 0, joint=True)
            write(f'{root}/t1/step_10.vti', 'appended', 1, 1, b64=True, endian='BigEndian')
            write(f'{root}/t1/step_11.vti', 'appended', 1, 2, b64=True, compress=True, htype='UInt64')
            # trajectory 2: a folder
            for t in range(3):
                write(f'{root}/t2/s{t}.vti', 'binary', 2, t, compress=True, endian='BigEndian')
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeSources() {
        PythonScripts.run(WRITE_VTI, dir);
    }

    static double rho(int n, int t, int i, int j) {
        return 4 + n + 0.5 * t + 0.25 * i - 0.125 * j;
    }

    @Test
    void everyLayoutDecodesToTheWrittenValues() {
        for (String file : List.of("t0/a.vti", "t0/b.vti", "t0/c.vti", "t1/step_2.vti", "t1/step_10.vti", "t1/step_11.vti",
                "t2/s1.vti")) {
            VtiFile f = VtiFile.read(dir.resolve(file));
            int n = file.charAt(1) - '0';
            int t = switch (file) {
                case "t0/a.vti", "t1/step_2.vti" -> 0;
                case "t0/b.vti", "t1/step_10.vti", "t2/s1.vti" -> 1;
                default -> 2;
            };
            assertArrayEquals(new int[] {X, Y, 1}, f.points(), file);
            assertArrayEquals(new double[] {0.5, -1, 0}, f.origin(), file);
            double[] rho = f.arrays().get("rho").values();
            double[] vel = f.arrays().get("velocity").values();
            assertEquals(X * Y, rho.length, file);
            assertEquals(3 * X * Y, vel.length, file);
            for (int j = 0; j < Y; j += 3) {
                for (int i = 0; i < X; i += 5) {
                    int p = i + X * j;
                    assertEquals((float) rho(n, t, i, j), rho[p], file);
                    assertEquals(0.5 * n - 0.25 * t + 0.125 * i, vel[3 * p], file);
                    assertEquals(-0.5 * n + 0.0625 * j + t, vel[3 * p + 1], file);
                    assertEquals(0, vel[3 * p + 2], file);
                }
            }
        }
    }

    @Test
    void aPvdAPatternAndAFolderImportAsThreeTrajectories() throws IOException {
        Path mapping = Files.writeString(dir.resolve("vti.yaml"), """
                dataset: vti_flow
                source: [t0.pvd, "t1/step_*.vti", t2]
                axes: [traj, time, x, y]
                grid: {x: {coordinates: x_coordinates}, y: {coordinates: y_coordinates}}
                time: {dt: 0.5}
                boundaries: {x: PERIODIC, y: WALL}
                fields:
                  density: {array: rho}
                  velocity: {array: velocity, axes: [traj, time, x, y, channel], channels: [0, 1]}
                splits: {train: 0.4, valid: 0.3, test: 0.3, seed: 3}
                """);
        Path out = dir.resolve("vti_root");
        DatasetImporter.Result result = DatasetImporter.run(ImportMapping.load(mapping), out, false, false, (d, t) -> { });
        assertEquals(3, result.trajectories());
        assertEquals(3, result.steps());
        for (String split : List.of("train", "valid", "test")) {
            int n = result.trajectoriesBySplit().get(split).getFirst();
            try (WellFile w = WellFile.open(out.resolve("data/" + split + "/vti_flow_" + split + ".hdf5"))) {
                assertEquals(0.75f, w.coordinates("x")[1]);
                assertEquals(-0.875f, w.coordinates("y")[1]);
                for (int t = 0; t < 3; t++) {
                    float[] d = w.readFrames(w.field("density"), 0, t, 1, 1);
                    float[] v = w.readFrames(w.field("velocity"), 0, t, 1, 1);
                    for (int i = 0; i < X; i += 7) {
                        for (int j = 0; j < Y; j += 3) {
                            int p = i * Y + j;
                            assertEquals((float) rho(n, t, i, j), d[p], split + " step " + t);
                            assertEquals((float) (0.5 * n - 0.25 * t + 0.125 * i), v[2 * p]);
                            assertEquals((float) (-0.5 * n + 0.0625 * j + t), v[2 * p + 1]);
                        }
                    }
                }
            }
        }
        String json = new ObjectMapper().writeValueAsString(result.trajectoriesBySplit());
        assertEquals("ok", PythonScripts.run("""
                import sys, json, numpy as np, h5py
                root, splits = sys.argv[1], json.loads(sys.argv[2])
                n, t, i, j = np.meshgrid(np.arange(3), np.arange(3), np.arange(32), np.arange(32), indexing='ij')
                rho = (4 + n + 0.5 * t + 0.25 * i - 0.125 * j).astype(np.float32)
                vel = np.stack([0.5 * n - 0.25 * t + 0.125 * i, -0.5 * n + 0.0625 * j + t], -1).astype(np.float32)
                for split, idx in splits.items():
                    with h5py.File(f'{root}/data/{split}/vti_flow_{split}.hdf5', 'r') as f:
                        assert np.array_equal(f['t0_fields/density'][...], rho[idx])
                        assert np.array_equal(f['t1_fields/velocity'][...], vel[idx])
                        assert np.array_equal(f['dimensions/time'][...], [0, 0.5, 1])
                print('ok')
                """, out, json));
    }

    @Test
    void thePvdTimesAreAnArrayAndSuggestReadsVti() {
        try (VtiSeries s = VtiSeries.open(dir.resolve("t0.pvd"))) {
            assertEquals(List.of("rho", "velocity", "x_coordinates", "y_coordinates", "time_values"), s.names());
            SourceArray times = s.array("time_values");
            assertEquals(1.0, times.get(new long[] {2}));
            assertArrayEquals(new long[] {3, X, Y, 3}, s.array("velocity").shape());
            assertEquals(rho(0, 2, 3, 4), s.array("rho").get(new long[] {2, 3, 4}));
        }
        MappingSuggestion suggestion = MappingSuggestion.of(dir.resolve("t0.pvd"));
        assertEquals(List.of("density (alias rho)"), suggestion.arrays().stream().filter(r -> r.name().equals("rho"))
                .map(r -> r.best().describe()).toList());
        assertEquals(List.of("velocity (exact name)"), suggestion.arrays().stream().filter(r -> r.name().equals("velocity"))
                .map(r -> r.best().describe()).toList());
        assertEquals(List.of("x_coordinates", "y_coordinates", "time_values"), suggestion.coordinates());
        String draft = suggestion.toText();
        assertTrue(draft.contains("axes: [time, x, y]\ngrid:\n  x: {coordinates: x_coordinates}\n"
                + "  y: {coordinates: y_coordinates}\ntime: {coordinates: time_values}\n"), draft);
        assertTrue(draft.contains("\n  density: {array: rho}\n  velocity: {array: velocity, axes: [time, x, y, channel],"
                + " channels: [0, 1]}\n"), draft);
    }

    @Test
    void aBrokenFileIsOneLineNamingIt() throws IOException {
        Path broken = dir.resolve("broken.vti");
        String good = Files.readString(dir.resolve("t2/s0.vti"));
        Files.writeString(broken, good.replace("vtkZLibDataCompressor", "vtkLZ4DataCompressor"));
        UserError e = assertThrows(UserError.class, () -> VtiFile.read(broken));
        assertEquals(broken + ": compressor vtkLZ4DataCompressor is not supported; write zlib-compressed or uncompressed data",
                e.getMessage());
        Files.createDirectories(dir.resolve("renamed"));
        Files.copy(dir.resolve("t2/s0.vti"), dir.resolve("renamed/s0.vti"));
        Files.writeString(dir.resolve("renamed/s1.vti"), Files.readString(dir.resolve("t2/s1.vti"))
                .replace("Name=\"rho\"", "Name=\"density\""));
        try (VtiSeries series = VtiSeries.open(dir.resolve("renamed"))) {
            SourceArray rho = series.array("rho");
            assertEquals(rho(2, 0, 1, 1), rho.get(new long[] {0, 1, 1}));
            assertEquals(dir.resolve("renamed/s1.vti") + ": step 1 has no array rho",
                    assertThrows(UserError.class, () -> rho.get(new long[] {1, 1, 1})).getMessage());
        }
        Files.writeString(broken, good.replace("type=\"ImageData\"", "type=\"UnstructuredGrid\""));
        assertTrue(assertThrows(UserError.class, () -> VtiFile.read(broken)).getMessage()
                .startsWith(broken + ": not VTK ImageData (type=\"UnstructuredGrid\")"));
    }
}
