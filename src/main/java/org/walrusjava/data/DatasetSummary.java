package org.walrusjava.data;

import org.walrusjava.BoundaryCondition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user needs to know about a Well file or dataset folder (`walrus inspect`): fields and channels, grid,
 * boundaries, trajectories, steps, dt, simulation parameters. The summary is a JSON-ready map with the sidecar
 * key names (`dataset_name`, `grid_type`, `n_spatial_dims`, `n_trajectories`, `n_steps_per_trajectory`,
 * `spatial_dims`, `spatial_resolution`, `boundary_conditions`, `variable_channels`, `constant_channels`, ...).
 * For a folder, metadata comes from its first file; trajectories are summed over files; `n_steps_per_trajectory` is
 * a number when all files agree and a per-file list otherwise.
 */
public final class DatasetSummary {
    private DatasetSummary() {}

    /** Summarises a file, a split folder, or a dataset root (then every split, or only {@code split} if given). */
    public static Map<String, Object> of(Path path, String split) {
        if (WellPaths.isDatasetRoot(path)) {
            List<String> splits = split == null ? WellPaths.splits(path) : List.of(split);
            Map<String, Object> perSplit = new LinkedHashMap<>();
            Map<String, Object> summary = null;
            int trajectories = 0;
            int files = 0;
            for (String s : splits) {
                Map<String, Object> one = ofFiles(path, WellPaths.resolve(path, s));
                if (summary == null) summary = one;
                trajectories += (Integer) one.get("n_trajectories");
                files += (Integer) one.get("n_files");
                Map<String, Object> counts = new LinkedHashMap<>();
                counts.put("n_files", one.get("n_files"));
                counts.put("n_trajectories", one.get("n_trajectories"));
                counts.put("n_steps_per_trajectory", one.get("n_steps_per_trajectory"));
                perSplit.put(s, counts);
            }
            summary.put("n_files", files);
            summary.put("n_trajectories", trajectories);
            summary.put("splits", perSplit);
            summary.remove("files");
            return summary;
        }
        return ofFiles(path, WellPaths.resolve(path, split == null ? "train" : split));
    }

    private static Map<String, Object> ofFiles(Path path, List<Path> files) {
        List<Map<String, Object>> perFile = new ArrayList<>();
        int trajectories = 0;
        List<Integer> steps = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Path p : files) {
            try (WellFile w = WellFile.open(p)) {
                if (out.isEmpty()) describeFile(w, path, out);
                trajectories += w.nTrajectories();
                steps.add(w.nSteps());
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("file", p.getFileName().toString());
                f.put("n_trajectories", w.nTrajectories());
                f.put("n_steps", w.nSteps());
                perFile.add(f);
            }
        }
        out.put("n_files", files.size());
        out.put("n_trajectories", trajectories);
        out.put("n_steps_per_trajectory", steps.stream().distinct().count() == 1 ? steps.getFirst() : steps);
        if (files.size() > 1) out.put("files", perFile);
        return out;
    }

    private static void describeFile(WellFile w, Path path, Map<String, Object> out) {
        out.put("path", path.toString());
        out.put("dataset_name", w.datasetName());
        out.put("grid_type", w.gridType());
        out.put("n_spatial_dims", w.nSpatialDims());
        out.put("n_trajectories", w.nTrajectories());
        out.put("n_steps_per_trajectory", w.nSteps());
        out.put("spatial_dims", w.spatialDims());
        out.put("spatial_resolution", w.spatialResolution());
        out.put("boundary_conditions", w.boundaryConditions());
        List<List<String>> names = new ArrayList<>();
        for (int[] faces : w.boundaryConditions()) {
            names.add(List.of(BoundaryCondition.ofCode(faces[0]).name(), BoundaryCondition.ofCode(faces[1]).name()));
        }
        out.put("boundary_condition_names", names);
        out.put("variable_channels", w.variableChannels());
        out.put("constant_channels", w.constantChannels());
        float[] time = w.time(0);
        out.put("time_first", time[0]);
        out.put("time_last", time[time.length - 1]);
        out.put("dt", time.length > 1 ? time[1] - time[0] : null);
        out.put("simulation_parameters", new LinkedHashMap<>(w.simulationParameters()));
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldInfo f : w.fields()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("rank", f.rank());
            m.put("kind", f.isConstant() ? "constant" : "variable");
            m.put("shape", f.shape());
            m.put("channels", f.channels());
            m.put("sample_varying", f.sampleVarying());
            m.put("time_varying", f.timeVarying());
            m.put("dim_varying", f.dimVarying());
            fields.add(m);
        }
        out.put("fields", fields);
        List<Map<String, Object>> scalars = new ArrayList<>();
        for (ScalarInfo s : w.scalars()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("kind", s.isVariable() ? "variable" : "constant");
            m.put("shape", s.shape());
            if (s.shape().length == 0) m.put("value", w.scalarValues(s.name())[0]);
            scalars.add(m);
        }
        out.put("scalars", scalars);
    }

    /** The summary as text for people. */
    @SuppressWarnings("unchecked")
    public static String toText(Map<String, Object> s) {
        StringBuilder out = new StringBuilder();
        List<String> dims = (List<String>) s.get("spatial_dims");
        int[] res = (int[]) s.get("spatial_resolution");
        out.append(s.get("dataset_name")).append("  (").append(s.get("grid_type")).append(", ")
                .append(s.get("n_spatial_dims")).append("-D)  ").append(s.get("path")).append('\n');
        StringBuilder grid = new StringBuilder();
        for (int a = 0; a < res.length; a++) grid.append(a == 0 ? "" : " x ").append(res[a]);
        line(out, "grid", grid + "  (" + String.join(", ", dims) + ")");
        List<List<String>> bcs = (List<List<String>>) s.get("boundary_condition_names");
        List<String> faces = new ArrayList<>();
        for (int a = 0; a < dims.size(); a++) {
            faces.add(dims.get(a) + ": " + bcs.get(a).get(0) + " / " + bcs.get(a).get(1));
        }
        line(out, "boundaries", String.join(", ", faces));
        line(out, "trajectories", s.get("n_trajectories") + " x " + s.get("n_steps_per_trajectory") + " steps"
                + (s.containsKey("n_files") ? " in " + s.get("n_files") + " file(s)" : ""));
        line(out, "time", "dt " + s.get("dt") + ", t = " + s.get("time_first") + " .. " + s.get("time_last"));
        if (s.get("splits") instanceof Map<?, ?> splits) {
            splits.forEach((name, counts) -> {
                Map<String, Object> c = (Map<String, Object>) counts;
                line(out, "split " + name, c.get("n_files") + " file(s), " + c.get("n_trajectories")
                        + " trajectories x " + c.get("n_steps_per_trajectory") + " steps");
            });
        }
        for (Map<String, Object> f : (List<Map<String, Object>>) s.get("fields")) {
            line(out, f.get("kind") + " field", f.get("name") + " (rank " + f.get("rank") + ", stored "
                    + java.util.Arrays.toString((int[]) f.get("shape")) + "): " + f.get("channels"));
        }
        line(out, "variable channels", String.join(", ", (List<String>) s.get("variable_channels")));
        line(out, "constant channels", String.join(", ", (List<String>) s.get("constant_channels")));
        Map<String, Object> params = (Map<String, Object>) s.get("simulation_parameters");
        line(out, "parameters", params.isEmpty() ? "none" : params.toString());
        for (Map<String, Object> sc : (List<Map<String, Object>>) s.get("scalars")) {
            line(out, sc.get("kind") + " scalar", sc.get("name") + (sc.containsKey("value") ? " = " + sc.get("value")
                    : " " + java.util.Arrays.toString((int[]) sc.get("shape"))));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format("  %-18s %s%n", label, text));
    }
}
