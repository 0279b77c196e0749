package org.walrusjava.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test-only: reads an h5py-written Well fixture with jhdf into a {@link WellSpec} plus all field values, so the
 * writer can be asked to reproduce it. Not a general reader (that is data.WellFile): it loads whole datasets.
 */
final class FixtureWellFile {
    final WellSpec spec;
    private final Map<String, float[]> values = new HashMap<>();

    private FixtureWellFile(Path path) {
        try (HdfFile file = new HdfFile(path)) {
            WellSpec.Builder builder = WellSpec.builder(string(file, "dataset_name"), string(file, "grid_type"))
                    .trajectories(Math.toIntExact((Long) file.getAttribute("n_trajectories").getData()));
            for (String dim : strings(file.getByPath("dimensions"), "spatial_dims")) {
                builder.spatialDim(dim, floats(file.getDatasetByPath("dimensions/" + dim)));
            }
            Dataset time = file.getDatasetByPath("dimensions/time");
            builder.time(new WellSpec.Time(floats(time), flag(time, "sample_varying")));
            for (String name : strings(file, "simulation_parameters")) {
                builder.simulationParameter(name, file.getAttribute(name).getData());
            }
            for (String name : strings(file.getByPath("scalars"), "field_names")) {
                Dataset scalar = file.getDatasetByPath("scalars/" + name);
                builder.scalar(new WellSpec.Scalar(name, flag(scalar, "sample_varying"), flag(scalar, "time_varying"),
                        floats(scalar)));
            }
            for (Node node : ((Group) file.getByPath("boundary_conditions")).getChildren().values()) {
                Group group = (Group) node;
                builder.boundary(new WellSpec.BoundaryGroup(group.getName(), string(group, "bc_type"),
                        strings(group, "associated_dims"), strings(group, "associated_fields"),
                        bools(group.getChild("mask")), floats((Dataset) group.getChild("values"))));
            }
            for (int rank = 0; rank <= 2; rank++) {
                for (String name : strings(file.getByPath("t" + rank + "_fields"), "field_names")) {
                    Dataset data = file.getDatasetByPath("t" + rank + "_fields/" + name);
                    WellSpec.Field field = WellSpec.Field.of(name, rank)
                            .varying(flag(data, "sample_varying"), flag(data, "time_varying"))
                            .dimVarying(bools(data.getAttribute("dim_varying").getData()));
                    if (rank == 2) {
                        field = field.symmetry(flag(data, "symmetric"), flag(data, "antisymmetric"));
                    }
                    builder.field(field);
                    values.put(name, floats(data));
                }
            }
            spec = builder.build();
        }
    }

    static FixtureWellFile read(Path path) {
        return new FixtureWellFile(path);
    }

    /** The fixture's dataset files (the dummy excluded: it does not follow the documented layout). */
    static List<Path> datasetFiles() throws IOException {
        Path root = Path.of(System.getProperty("walrus.fixtures"), "well", "datasets");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".hdf5")).sorted().toList();
        }
    }

    /** Frames in the order WellWriter numbers them: trajectory-major, then step. */
    WellWriter.FrameSource frames() {
        return (field, trajectory, step, frame) -> {
            int length = field.frameLength(spec);
            int index = field.timeVarying() ? trajectory * spec.nSteps() + step : trajectory;
            frame.put(values.get(field.name()), index * length, length);
        };
    }

    private static String string(Node node, String attribute) {
        return (String) node.getAttribute(attribute).getData();
    }

    /** A list attribute; h5py stores [] as an empty float64 array, which jhdf returns as null. */
    private static List<String> strings(Node node, String attribute) {
        Object data = node.getAttribute(attribute).getData();
        return data == null ? List.of() : List.of((String[]) data);
    }

    /** jhdf reads h5py's bool enum as the member names. */
    private static boolean flag(Node node, String attribute) {
        Attribute a = node.getAttribute(attribute);
        return "TRUE".equals(a.getData());
    }

    private static boolean[] bools(Object enumNames) {
        String[] names = enumNames instanceof Dataset d ? (String[]) d.getDataFlat() : (String[]) enumNames;
        boolean[] out = new boolean[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = "TRUE".equals(names[i]);
        }
        return out;
    }

    private static float[] floats(Dataset dataset) {
        Object data = dataset.getDataFlat();
        return data instanceof float[] array ? array : new float[] {(Float) dataset.getData()};
    }
}
