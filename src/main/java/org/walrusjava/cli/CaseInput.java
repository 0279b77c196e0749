package org.walrusjava.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.api.CaseSpec;
import org.walrusjava.api.Walrus;
import org.walrusjava.io.SafeTensors;
import org.walrusjava.tensor.Tensor;

/** A window given as files: IN.safetensors holding `raw_input` (T, B, C, H, W, D) and the CASE.json describing it. */
record CaseInput(Tensor raw, CaseSpec spec, Path caseFile) {
    static CaseInput read(Path input, Path caseFile) {
        if (caseFile == null) throw new UserError("--input needs --case CASE.json to say what its channels are");
        CaseSpec spec = CaseSpec.read(caseFile);
        Map<String, Tensor> tensors = SafeTensors.read(input);
        Tensor raw = tensors.get("raw_input");
        if (raw == null) throw new UserError(input + ": no tensor 'raw_input' (found " + tensors.keySet() + ")");
        if (raw.dim() != 6)
            throw new UserError(input + ": raw_input must be (T, B, C, H, W, D), got shape " + Arrays.toString(raw.shape()));
        return new CaseInput(raw, spec, caseFile);
    }

    /** Refuses, naming the case file, field names that disagree with their indices in the model's vocabulary. */
    void checkFieldNames(Walrus walrus) {
        spec.checkFieldNames(walrus.config().vocabulary(), caseFile.toString());
    }
}
