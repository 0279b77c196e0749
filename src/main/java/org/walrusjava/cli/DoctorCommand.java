package org.walrusjava.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.walrusjava.UserError;
import org.walrusjava.doctor.Doctor;
import org.walrusjava.doctor.Machine;
import org.walrusjava.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `walrus doctor`: is this machine computing the right numbers? */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Describe this machine and check that it computes Walrus correctly: convolutions, matrix "
                + "products and attention in fp32 and bf16 against float64, then the bundled reference cases (2-D, "
                + "3-D, training gradients). One PASS/FAIL line per check; exit 0 only if all pass, 1 otherwise.")
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV", description = "cpu, cuda or cuda:N.")
    String device;

    @Option(names = "--json", description = "Print {\"machine\": {...}, \"checks\": [{name, passed, max_error, "
            + "tolerance, detail}], \"passed\": bool} instead of text.")
    boolean json;

    @Option(names = "--cases", paramLabel = "DIR", hidden = true,
            description = "Reference cases from DIR (the bundle's file names) instead of the bundled ones.")
    java.nio.file.Path cases;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Device where;
        try {
            where = Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new UserError("--device: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Machine machine = Machine.describe(where);
        if (!json) {
            machine.facts().forEach((k, v) -> out.printf("%-24s %s%n", k, v));
            out.println();
            out.flush();
        }
        java.util.function.Consumer<Doctor.Check> progress = c -> {
            if (!json) {
                out.println(line(c));
                out.flush();
            }
        };
        List<Doctor.Check> checks = cases == null ? Doctor.run(where, progress) : Doctor.run(where, cases, progress);
        boolean passed = checks.stream().allMatch(Doctor.Check::passed);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("machine", machine.facts());
            doc.put("checks", checks.stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("passed", c.passed());
                m.put("max_error", Double.isNaN(c.maxError()) ? "NaN" : c.maxError());
                m.put("tolerance", c.tolerance());
                m.put("detail", c.detail());
                return m;
            }).toList());
            doc.put("passed", passed);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            long failed = checks.stream().filter(c -> !c.passed()).count();
            out.println(passed ? "all " + checks.size() + " checks passed"
                    : failed + " of " + checks.size() + " checks FAILED: this machine does not compute Walrus correctly");
        }
        return passed ? 0 : 1;
    }

    static String line(Doctor.Check c) {
        return String.format(Locale.ROOT, "%-4s  %-26s max error %-9s tolerance %-8.1e %s", c.passed() ? "PASS" : "FAIL",
                c.name(), Double.isNaN(c.maxError()) ? "NaN" : String.format(Locale.ROOT, "%.2e", c.maxError()),
                c.tolerance(), c.detail());
    }
}
