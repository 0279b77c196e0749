package org.walrusjava.importer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.walrusjava.data.FieldVocabulary;

/**
 * Which Walrus field a user's array name most likely is: the vocabulary's field names (vectors and tensors under
 * their base name: "velocity", "D"), matched exactly, through the usual short names of solvers and papers (u, rho,
 * p, T, Bx, ...), or by edit distance.
 *
 * @param field     the vocabulary field ("velocity")
 * @param component the component the array would be ("x"), or null for the whole field
 * @param reason    "exact name", "alias u", "edit distance 2"
 */
public record VocabularyMatch(String field, String component, String reason, int distance) {

    /** Boundary flags and the bias token are model inputs, not fields a user maps. */
    private static final List<String> NOT_FIELDS = List.of("closed_boundary", "open_boundary", "bias_correction");

    /** Short names, lower-cased, to a vocabulary field and component. */
    private static final Map<String, String[]> ALIASES = aliases();

    private static Map<String, String[]> aliases() {
        Map<String, String[]> a = new LinkedHashMap<>();
        for (String axis : List.of("x", "y", "z")) {
            for (String prefix : List.of("v", "u", "vel", "velocity", "vel_", "v_", "u_")) a.put(prefix + axis, new String[] {"velocity", axis});
            for (String prefix : List.of("b", "b_", "mag", "bfield")) a.put(prefix + axis, new String[] {"magnetic_field", axis});
            for (String prefix : List.of("m", "mom", "rhou", "mom_")) a.put(prefix + axis, new String[] {"momentum", axis});
        }
        a.put("u", new String[] {"velocity", "x"});
        a.put("v", new String[] {"velocity", "y"});
        a.put("w", new String[] {"velocity", "z"});
        for (String s : List.of("vel", "uvw", "uv", "u_vec", "vectors")) a.put(s, new String[] {"velocity", null});
        for (String s : List.of("rho", "dens", "rho0")) a.put(s, new String[] {"density", null});
        for (String s : List.of("p", "pres", "prs", "press")) a.put(s, new String[] {"pressure", null});
        for (String s : List.of("t", "temp")) a.put(s, new String[] {"temperature", null});
        for (String s : List.of("e", "etot", "total_energy")) a.put(s, new String[] {"energy", null});
        for (String s : List.of("eint", "ei", "u_int")) a.put(s, new String[] {"internal_energy", null});
        for (String s : List.of("c", "conc")) a.put(s, new String[] {"concentration", null});
        for (String s : List.of("h", "eta", "depth")) a.put(s, new String[] {"height", null});
        for (String s : List.of("b_field", "bfield", "mag")) a.put(s, new String[] {"magnetic_field", null});
        for (String s : List.of("mom", "momentum_density", "rhou")) a.put(s, new String[] {"momentum", null});
        for (String s : List.of("cs", "c_s", "sound_speed")) a.put(s, new String[] {"speed_of_sound", null});
        for (String s : List.of("ye")) a.put(s, new String[] {"electron_fraction", null});
        for (String s : List.of("s", "ent")) a.put(s, new String[] {"entropy", null});
        for (String s : List.of("scalar", "dye", "passive_scalar")) a.put(s, new String[] {"tracer", null});
        return a;
    }

    /** The vocabulary as fields: base name -> tensor order. */
    public static Map<String, Integer> fields() {
        List<String> names = FieldVocabulary.released().names();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : names) {
            if (NOT_FIELDS.contains(name)) continue;
            String base = name.contains("_") ? name.substring(0, name.lastIndexOf('_')) : name;
            int rank = name.length() - base.length() - 1;
            boolean component = name.matches(".*_[xyz]{1,2}") && names.containsAll(ImportPlan.componentNames(base, rank,
                    List.of("x", "y", "z")));
            if (component) out.putIfAbsent(base, rank);
            else out.put(name, 0);
        }
        return out;
    }

    /** The best matches for {@code name}, best first: exact or alias first, then by edit distance. */
    public static List<VocabularyMatch> match(String name, int count) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<VocabularyMatch> out = new ArrayList<>();
        Map<String, Integer> fields = fields();
        for (String field : fields.keySet()) {
            if (field.equals(name)) return List.of(new VocabularyMatch(field, null, "exact name", 0));
        }
        for (String field : fields.keySet()) {
            for (String axis : List.of("x", "y", "z")) {
                if (fields.get(field) == 1 && (field + "_" + axis).equals(name)) {
                    return List.of(new VocabularyMatch(field, axis, "exact component name", 0));
                }
            }
        }
        String[] alias = ALIASES.get(lower);
        if (alias != null && fields.containsKey(alias[0])) {
            out.add(new VocabularyMatch(alias[0], alias[1], "alias " + name, 0));
        }
        fields.keySet().stream().map(f -> new VocabularyMatch(f, null, null, editDistance(lower, f.toLowerCase(Locale.ROOT))))
                .sorted(Comparator.comparingInt(VocabularyMatch::distance))
                .limit(Math.max(0, count - out.size()))
                .forEach(m -> out.add(new VocabularyMatch(m.field(), null, "edit distance " + m.distance(), m.distance())));
        return out;
    }

    /** The names of the best matches ("velocity (x component, alias u)"), for messages. */
    public static List<String> closest(String name, int count) {
        return match(name, count).stream().map(VocabularyMatch::describe).toList();
    }

    public String describe() {
        return field + (component == null ? "" : "_" + component) + " (" + reason + ")";
    }

    /** Levenshtein distance. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
