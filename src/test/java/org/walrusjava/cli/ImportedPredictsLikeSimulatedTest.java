package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.walrusjava.api.RolloutFixtures.CHECKPOINT;
import static org.walrusjava.api.RolloutFixtures.TINY_CONFIG;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.importer.DatasetImporter;
import org.walrusjava.importer.ImportMapping;
import org.walrusjava.importer.PythonScripts;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.sim.SimulatedDataset;
import org.walrusjava.sim.Simulators;
import org.walrusjava.sim.SplitFractions;

/**
 * The held-out style check of issue 15: a data set written by walrus simulate, dumped to .npz by h5py and numpy and
 * imported back, gives the tiny model exactly the same next-frame prediction as the original.
 */
class ImportedPredictsLikeSimulatedTest {
    @TempDir
    Path dir;

    @Test
    void anNpzCopyOfASimulatedDatasetPredictsIdentically() throws Exception {
        Path simulated = dir.resolve("simulated");
        SimulatedDataset.write(new SimulatedDataset.Request(Simulators.byName("navier_stokes_2d"), 3, 8, 32, 5,
                SplitFractions.defaults()), simulated, false, (d, t) -> { });
        Path train = simulated.resolve("data/train/navier_stokes_2d_train_000.hdf5");
        PythonScripts.run("""
                import sys, numpy as np, h5py
                root, out = sys.argv[1], sys.argv[2]
                files = [h5py.File(f'{root}/data/{s}/navier_stokes_2d_{s}_000.hdf5', 'r') for s in ('train', 'valid', 'test')]
                get = lambda path: np.concatenate([f[path][...] for f in files])
                f = files[0]
                np.savez(out, pressure=get('t0_fields/pressure'), tracer=get('t0_fields/tracer'),
                         velocity=get('t1_fields/velocity'), x=f['dimensions/x'][...], y=f['dimensions/y'][...],
                         t=f['dimensions/time'][...])
                """, simulated, dir.resolve("ns.npz"));
        Path mapping = Files.writeString(dir.resolve("ns.yaml"), """
                dataset: navier_stokes_2d
                source: ns.npz
                axes: [traj, time, x, y]
                grid: {x: {coordinates: x}, y: {coordinates: y}}
                time: {coordinates: t}
                boundaries: {x: PERIODIC, y: PERIODIC}
                fields:
                  pressure: {array: pressure}
                  tracer: {array: tracer}
                  velocity: {array: velocity, axes: [traj, time, x, y, channel], channels: [0, 1]}
                splits: {train: 0.34, valid: 0.33, test: 0.33, seed: 0}
                """);
        DatasetImporter.Result imported = DatasetImporter.run(ImportMapping.load(mapping), dir.resolve("imported"), false,
                false, (d, t) -> { });
        // simulated trajectory 0 (its train file) is source trajectory 0 of the npz: find where the import put it
        String split = null;
        int index = -1;
        for (Map.Entry<String, List<Integer>> e : imported.trajectoriesBySplit().entrySet()) {
            if (e.getValue().contains(0)) {
                split = e.getKey();
                index = e.getValue().indexOf(0);
            }
        }
        float[] original = predict(train, 0, "original");
        float[] copy = predict(imported.files().get(split), index, "copy");
        assertEquals(5 * 32 * 32, original.length);
        assertArrayEquals(original, copy);
    }

    private float[] predict(Path file, int trajectory, String name) {
        Path out = dir.resolve(name + ".safetensors");
        CapturedRun r = CapturedRun.of("predict", "--checkpoint", CHECKPOINT.toString(), "--config", TINY_CONFIG.toString(),
                "--data", file.toString(), "--trajectory", String.valueOf(trajectory), "--start", "1", "--no-jitter",
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        return SafeTensors.read(out).get("pred_next_frame").toFloatArray();
    }
}
