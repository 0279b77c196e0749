package org.walrusjava.doctor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.ConvolutionCheck;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.Tensor;

class DoctorTest {
    @AfterEach
    void restore() {
        ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.VERIFY);
    }

    @Test
    void everyCheckPassesOnTheKernelsThisProcessUses() {
        List<Doctor.Check> checks = Doctor.run(Device.CPU, c -> {});
        assertEquals(List.of("convolutions fp32", "matrix products fp32", "attention fp32", "convolutions bf16",
                "matrix products bf16", "attention bf16", "case a fp32", "case v2 fp32", "case a bf16",
                "case v2 bf16", "case d gradients fp32"), checks.stream().map(Doctor.Check::name).toList());
        for (Doctor.Check c : checks) {
            assertTrue(c.passed(), c.toString());
            assertTrue(c.maxError() >= 0 && c.maxError() < 0.5 * c.tolerance() || c.name().contains("bf16"),
                    "fp32 checks pass with margin: " + c);
        }
    }

    @Test
    void aReferenceCaseTheModelDoesNotReproduceFailsItsCheck() {
        Path cases = Doctor.extractBundle();
        try (NativeScope s = NativeScope.open()) {
            Path file = cases.resolve("case_v2.safetensors");
            Map<String, Tensor> t = new HashMap<>(SafeTensors.read(file));
            Tensor next = t.get("pred_next_frame");
            // One value moved by 1% of the largest: far above fp32's bound, below bf16's.
            float[] v = next.toFloatArray();
            float max = 0;
            for (float x : v) max = Math.max(max, Math.abs(x));
            v[v.length / 2] += 0.01f * max;
            t.put("pred_next_frame", Tensor.of(v, next.shape()));
            SafeTensors.write(file, t);
        }
        Map<String, Boolean> passed = new HashMap<>();
        for (Doctor.Check c : Doctor.run(Device.CPU, cases, c -> {})) passed.put(c.name(), c.passed());
        assertFalse(passed.get("case v2 fp32"), "the damaged case fails in fp32");
        assertTrue(passed.get("case v2 bf16"), "within bf16's bound");
        assertTrue(passed.get("case a fp32"));

    }

    @Test
    void withTheFallbackOffTheConvolutionCheckReportsWhatLibtorchComputes() {
        ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.OFF);
        boolean libtorchRight = ConvolutionCheck.screeningSet(Device.CPU, org.walrusjava.tensor.DType.FLOAT32).stream()
                .allMatch(sig -> ConvolutionCheck.probe(sig, ConvolutionCheck.Kernel.LIBTORCH).passed());
        Doctor.Check off = Doctor.convolutions(Device.CPU, org.walrusjava.tensor.DType.FLOAT32);
        assertEquals(libtorchRight, off.passed(), off.toString());
        assertTrue(off.detail().startsWith("libtorch's kernels, unverified"), off.detail());

        ConvolutionCheck.setPolicy(ConvolutionCheck.Policy.FALLBACK);
        Doctor.Check fallback = Doctor.convolutions(Device.CPU, org.walrusjava.tensor.DType.FLOAT32);
        assertTrue(fallback.passed(), fallback.toString());
        assertTrue(fallback.detail().startsWith("walrus-java's kernels"), fallback.detail());
    }

    @Test
    void theMachineDescriptionNamesTheCpuTheLibrariesAndTheAllocator() {
        Map<String, String> f = Machine.describe(Device.CPU).facts();
        for (String key : new String[] {"cpu", "isa", "cores", "threads", "allocator", "libtorch", "onednn",
                "openblas", "device"})
            assertTrue(f.containsKey(key) && !f.get(key).isBlank(), key + " in " + f);
        assertTrue(f.get("onednn").matches(".*\\d+\\.\\d+.*"), f.get("onednn"));
    }
}
