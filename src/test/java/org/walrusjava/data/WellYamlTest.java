package org.walrusjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** The metadata and stats YAML we write are byte-identical to the fixture's upstream-format files. */
class WellYamlTest {
    private static Path datasetDir(String name) {
        return Path.of(System.getProperty("walrus.fixtures"), "well", "datasets", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"periodic2d", "walls2d", "tensor3d"})
    void metadataFromTheValidSplitMatchesTheFixture(String name) throws IOException {
        List<WellSpec> valid;
        try (Stream<Path> files = Files.list(datasetDir(name).resolve("data/valid"))) {
            valid = files.filter(p -> p.toString().endsWith(".hdf5")).sorted()
                    .map(p -> FixtureWellFile.read(p).spec).toList();
        }
        assertEquals(Files.readString(datasetDir(name).resolve(name + ".yaml")), WellYaml.metadata(valid));
    }

    @ParameterizedTest
    @ValueSource(strings = {"periodic2d", "walls2d", "tensor3d"})
    void statsReprintIdentically(String name) throws IOException {
        String original = Files.readString(datasetDir(name).resolve("stats.yaml"));
        Map<String, Map<String, Object>> parsed = new Yaml().load(original);
        assertEquals(original, WellYaml.stats(parsed));
    }
}
