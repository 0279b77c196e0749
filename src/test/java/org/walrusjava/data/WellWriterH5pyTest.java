package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by WellWriter read in h5py exactly like the h5py-written fixtures (storage types, Python types,
 * shapes, chunking, compression, fill settings, every value), and pass the rules of the_well's format checker.
 */
class WellWriterH5pyTest {
    @TempDir
    Path dir;

    static List<Path> fixtureFiles() throws IOException {
        return FixtureWellFile.datasetFiles();
    }

    @ParameterizedTest
    @MethodSource("fixtureFiles")
    void rewrittenFixtureReadsIdenticallyInH5py(Path original) {
        FixtureWellFile fixture = FixtureWellFile.read(original);
        Path rewritten = WellWriter.write(dir.resolve(original.getFileName()), fixture.spec, fixture.frames());

        H5py.Result comparison = H5py.run("compare", original, rewritten);
        assertEquals(0, comparison.exitCode(), comparison.output());
        assertEquals("identical", comparison.output());
        H5py.Result check = H5py.run("check", rewritten);
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void fileWithEveryFieldKindPassesFormatRulesAndReadsAsPythonTypes() {
        WellSpec spec = SyntheticWell.spec();
        Path path = WellWriter.write(dir.resolve("synthetic.hdf5"), spec, SyntheticWell.frames(spec));
        H5py.Result check = H5py.run("check", path);
        assertEquals(0, check.exitCode(), check.output());

        String dump = H5py.run("dump", path).output();
        assertTrue(dump.contains("\"resolution\": {\"stored\": {\"class\": \"integer\", \"size\": 8"), dump);
        assertTrue(dump.contains("\"solver\": {\"stored\": {\"class\": \"string\", \"size\": 8, \"variable\": true,"
                + " \"cset\": 1, \"strpad\": 0}, \"space\": \"scalar\", \"shape\": [], \"python\": {\"type\": \"str\"}}"),
                dump);
        assertTrue(dump.contains("{\"object\": \"/t2_fields/sigma\", \"kind\": \"dataset\""), dump);
    }

    @Test
    void fixtureSetHasAllThreeDatasets() throws IOException {
        // 10 files: periodic2d 2/1/1, walls2d 1/1/1, tensor3d 1/1/1 (README table)
        assertEquals(10, fixtureFiles().size());
    }

    @Test
    void comparisonSeesValueAndTypeDifferences() throws IOException {
        // Two files of the same dataset: same layout, different values. The comparison must notice.
        List<Path> periodic = fixtureFiles().stream().filter(p -> p.toString().contains("periodic2d_train")).toList();
        H5py.Result result = H5py.run("compare", periodic.get(0), periodic.get(1));
        assertEquals(1, result.exitCode());
        assertTrue(result.output().contains("/t1_fields/velocity: values differ"), result.output());
    }

    @Test
    void formatRulesRejectTheDummyFileLikeUpstream() {
        // The fixture README: the upstream checker rejects dummy.hdf5 for the missing time_varying flags.
        Path dummy = Path.of(System.getProperty("walrus.fixtures"), "well", "dummy", "dummy.hdf5");
        H5py.Result result = H5py.run("check", dummy);
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("dimensions/x: 'time_varying' must be a bool"), result.output());
    }
}
