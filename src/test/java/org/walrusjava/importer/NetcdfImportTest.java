package org.walrusjava.importer;

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
 * walrus import on NetCDF-4 written by xarray (python3-xarray with python3-netcdf4): dimension names from
 * DIMENSION_LIST, coordinates from coordinate variables, a zlib-compressed variable, a variable stored with its
 * axes in another order; --suggest's draft imports as printed; NetCDF classic is refused saying how to convert.
 */
class NetcdfImportTest {
    static final String WRITE_NC = """
            import sys, numpy as np, xarray as xr
            d = sys.argv[1]
            n, t, i, j = np.meshgrid(np.arange(3), np.arange(4), np.arange(32), np.arange(32), indexing='ij')
            wave = np.cos(2 * np.pi * i / 31) * (1 + 0.01 * j) + 0.1 * n + 0.01 * t   # x periodic, end point repeated
            ds = xr.Dataset({'rho': (('traj', 'time', 'x', 'y'), (2 + wave).astype(np.float32)),
                             'u': (('traj', 'time', 'y', 'x'), wave.transpose(0, 1, 3, 2)),
                             'v': (('traj', 'time', 'y', 'x'), -wave.transpose(0, 1, 3, 2))},
                            coords={'x': np.arange(32) * 0.5, 'y': np.arange(32) * 0.25, 'time': np.arange(4) * 0.1})
            ds.to_netcdf(d + '/flow.nc', encoding={'rho': {'zlib': True, 'complevel': 4}})
            ds.to_netcdf(d + '/classic.nc', format='NETCDF3_64BIT')
            # packed as CF says (stored = (value - 1) / 0.5), with one missing value stored as the fill value -9999
            holes = ds[['rho']].copy(deep=True)
            holes.rho[1, 2, 3, 4] = np.nan
            holes.to_netcdf(d + '/packed.nc', encoding={'rho': {'dtype': 'float32', 'scale_factor': 0.5,
                                                                'add_offset': 1.0, '_FillValue': -9999.0}})
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeSources() {
        PythonScripts.run(WRITE_NC, dir);
    }

    @Test
    void dimensionNamesComeFromTheFile() {
        try (NetcdfSource source = NetcdfSource.open(dir.resolve("flow.nc"))) {
            assertEquals(List.of("traj", "time", "y", "x"), source.array("u").dimensionNames());
            assertEquals(List.of("traj", "time", "x", "y"), source.array("rho").dimensionNames());
            assertEquals(List.of("x"), source.array("x").dimensionNames());
            assertTrue(!source.names().contains("traj"), "traj is a dimension without a variable: " + source.names());
            SourceArray u = source.array("u");
            double expected = Math.cos(2 * Math.PI * 5 / 31) * (1 + 0.01 * 7) + 0.1 * 2 + 0.01 * 3;
            assertEquals(expected, u.get(new long[] {2, 3, 7, 5}), 1e-12);
            assertEquals(2 + expected, source.array("rho").get(new long[] {2, 3, 5, 7}), 1e-6);
        }
    }

    @Test
    void suggestDraftsAMappingThatImportsAsPrinted() throws IOException {
        MappingSuggestion suggestion = MappingSuggestion.of(dir.resolve("flow.nc"));
        assertEquals(List.of("x"), suggestion.periodicAxes());
        String draft = suggestion.toText();
        assertTrue(draft.contains("axes: [traj, time, x, y]\ngrid:\n  x: {coordinates: x}\n  y: {coordinates: y}\n"
                + "time: {coordinates: time}\nboundaries:\n  x: PERIODIC\n"), draft);
        assertTrue(draft.contains("\n  density: {array: rho}\n  velocity: {arrays: [u, v], axes: [traj, time, y, x]}\n"), draft);

        Path mapping = Files.writeString(dir.resolve("flow.yaml"), draft);
        Path out = dir.resolve("nc_root");
        DatasetImporter.Result result = DatasetImporter.run(ImportMapping.load(mapping), out, false, false, (d, t) -> { });
        try (WellFile w = WellFile.open(out.resolve("data/train/flow_train.hdf5"))) {
            assertEquals(0.5f, w.coordinates("x")[1]);
            assertEquals(0.3f, w.time(0)[3], 1e-7f);
            int n = result.trajectoriesBySplit().get("train").getFirst();
            float[] vel = w.readFrames(w.field("velocity"), 0, 3, 1, 1);
            double u = Math.cos(2 * Math.PI * 5 / 31) * (1 + 0.01 * 7) + 0.1 * n + 0.01 * 3;
            assertEquals((float) u, vel[(5 * 32 + 7) * 2]);
            assertEquals((float) -u, vel[(5 * 32 + 7) * 2 + 1]);
        }
        assertEquals("ok", PythonScripts.run("""
                import sys, json, numpy as np, xarray as xr, h5py
                root, src, splits = sys.argv[1], xr.open_dataset(sys.argv[2]), json.loads(sys.argv[3])
                for split, idx in splits.items():
                    with h5py.File(f'{root}/data/{split}/flow_{split}.hdf5', 'r') as f:
                        assert np.array_equal(f['t0_fields/density'][...], src.rho.values[idx])
                        vel = np.stack([src.u.transpose('traj', 'time', 'x', 'y').values,
                                        src.v.transpose('traj', 'time', 'x', 'y').values], -1)[idx].astype(np.float32)
                        assert np.array_equal(f['t1_fields/velocity'][...], vel)
                        assert np.array_equal(f['dimensions/y'][...], src.y.values.astype(np.float32))
                        assert [g.attrs['bc_type'] for g in f['boundary_conditions'].values()] == ['PERIODIC', 'WALL']
                print('ok')
                """, out, dir.resolve("flow.nc"), new ObjectMapper().writeValueAsString(result.trajectoriesBySplit())));
    }

    @Test
    void packedValuesAreUnpackedAndFillValuesRefused() throws IOException {
        try (NetcdfSource source = NetcdfSource.open(dir.resolve("packed.nc"))) {
            double expected = 2 + Math.cos(2 * Math.PI * 5 / 31) * (1 + 0.01 * 7) + 0.1 * 2 + 0.01 * 3;
            assertEquals(expected, source.array("rho").get(new long[] {2, 3, 5, 7}), 1e-6);
            assertTrue(Double.isNaN(source.array("rho").get(new long[] {1, 2, 3, 4})));
        }
        Path mapping = Files.writeString(dir.resolve("packed.yaml"), """
                dataset: packed
                source: packed.nc
                axes: [traj, time, x, y]
                grid: {x: {coordinates: x}, y: {coordinates: y}}
                time: {coordinates: time}
                boundaries: {x: PERIODIC, y: WALL}
                fields:
                  density: {array: rho}
                """);
        UserError e = assertThrows(UserError.class, () -> DatasetImporter.run(ImportMapping.load(mapping),
                dir.resolve("packed_root"), false, false, (d, t) -> { }));
        assertEquals(dir.resolve("packed.nc") + ":rho: field density has NaN at trajectory 1, step 2, grid point [3, 4]",
                e.getMessage());
    }

    @Test
    void netcdfClassicIsRefusedWithHowToConvert() {
        Path classic = dir.resolve("classic.nc");
        UserError e = assertThrows(UserError.class, () -> NetcdfSource.open(classic));
        assertEquals(classic + ": NetCDF classic (CDF-2) is not read by walrus import; convert it to NetCDF-4 first:"
                + " nccopy -k nc4 classic.nc out.nc, or in Python xarray.open_dataset('classic.nc').to_netcdf('out.nc',"
                + " format='NETCDF4')", e.getMessage());
    }
}
