package org.walrusjava.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.walrusjava.UserError;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The two YAML files that sit next to a Well dataset's data: {@code <name>.yaml} (metadata the_well derives from
 * the files of a split) and {@code stats.yaml} (normalisation statistics per field), in the layout of the
 * published datasets and the fixtures, so that the_well and our loader read them unchanged. Files are written to
 * a temporary and moved into place.
 */
public final class WellYaml {
    private WellYaml() {
    }

    /**
     * {@code <name>.yaml} for a split made of {@code files} (in file order): resolution and names from the first
     * file, trajectory and step counts per file. Scalars and fields are "constant" when not time-varying.
     */
    public static String metadata(List<WellSpec> files) {
        WellSpec first = files.getFirst();
        List<String> axes = first.spatialDimNames();
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("dataset_name", first.datasetName());
        yaml.put("n_spatial_dims", first.nSpatialDims());
        yaml.put("spatial_resolution", Arrays.stream(first.resolution()).boxed().toList());
        yaml.put("scalar_names", first.scalars().stream().filter(WellSpec.Scalar::timeVarying)
                .map(WellSpec.Scalar::name).toList());
        yaml.put("constant_scalar_names", first.scalars().stream().filter(s -> !s.timeVarying())
                .map(WellSpec.Scalar::name).toList());
        yaml.put("field_names", channelsByRank(first, axes, true));
        yaml.put("constant_field_names", channelsByRank(first, axes, false));
        yaml.put("boundary_condition_types", new ArrayList<>(new TreeSet<>(
                first.boundaryGroups().stream().map(WellSpec.BoundaryGroup::bcType).toList())));
        yaml.put("n_files", files.size());
        yaml.put("n_trajectories_per_file", files.stream().map(WellSpec::nTrajectories).toList());
        yaml.put("n_steps_per_trajectory", files.stream().map(WellSpec::nSteps).toList());
        yaml.put("grid_type", first.gridType());
        return yaml().dump(yaml);
    }

    private static Map<Integer, List<String>> channelsByRank(WellSpec spec, List<String> axes, boolean variable) {
        Map<Integer, List<String>> byRank = new LinkedHashMap<>();
        for (int rank = 0; rank <= 2; rank++) {
            byRank.put(rank, spec.fieldsOfRank(rank).stream().filter(f -> f.timeVarying() == variable)
                    .flatMap(f -> f.channels(axes).stream()).toList());
        }
        return byRank;
    }

    /**
     * {@code stats.yaml}: statistic ("mean", "std", "rms", "mean_delta", ...) -> field -> value, where a value is a
     * double (rank 0), double[] (rank 1) or double[][] (rank 2). Statistics and fields are sorted by name and
     * numbers printed with 4 significant digits ({@code 1.0310E+00}), as upstream does.
     */
    public static String stats(Map<String, Map<String, Object>> stats) {
        Map<String, Map<String, Object>> sorted = new TreeMap<>();
        stats.forEach((statistic, fields) -> {
            Map<String, Object> values = new TreeMap<>();
            fields.forEach((field, value) -> values.put(field, fourDigits(value)));
            sorted.put(statistic, values);
        });
        return yaml().dump(sorted);
    }

    public static void writeMetadata(Path path, List<WellSpec> files) {
        writeAtomically(path, metadata(files));
    }

    public static void writeStats(Path path, Map<String, Map<String, Object>> stats) {
        writeAtomically(path, stats(stats));
    }

    /** A number already rounded to the printed form, emitted as a plain YAML float. */
    private record Rounded(String text) {
    }

    private static Object fourDigits(Object value) {
        return switch (value) {
            case Number n -> new Rounded(String.format(Locale.ROOT, "%.4E", n.doubleValue()));
            case double[] row -> Arrays.stream(row).mapToObj(WellYaml::fourDigits).toList();
            case double[][] rows -> Arrays.stream(rows).map(WellYaml::fourDigits).toList();
            case List<?> list -> list.stream().map(WellYaml::fourDigits).toList();
            default -> throw new IllegalArgumentException("statistic value " + value + " is not a number or array");
        };
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setDereferenceAliases(true); // shared empty lists would otherwise print as &id001 anchors
        return new Yaml(new RoundedRepresenter(options), options);
    }

    /** Emits {@link Rounded} as its text with the float tag, i.e. an unquoted number. */
    private static final class RoundedRepresenter extends Representer {
        RoundedRepresenter(DumperOptions options) {
            super(options);
            representers.put(Rounded.class, data -> representScalar(Tag.FLOAT, ((Rounded) data).text()));
        }
    }

    private static void writeAtomically(Path path, String text) {
        Path temporary = path.resolveSibling("." + path.getFileName() + ".partial");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the write error below is the one to report
            }
            throw new UserError(path + ": cannot write: " + e.getMessage(), e);
        }
    }
}
