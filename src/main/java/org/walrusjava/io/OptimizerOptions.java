package org.walrusjava.io;

/**
 * The `optimizer` section (torch.optim.AdamW in the released recipe), with AdamW's defaults for absent keys.
 *
 * @param target the Python class Hydra would instantiate, e.g. "torch.optim.AdamW"
 */
public record OptimizerOptions(String target, double lr, double weightDecay, double eps, double beta1, double beta2) {

    /** The class name without its module, e.g. "AdamW". */
    public String kind() {
        return target.substring(target.lastIndexOf('.') + 1);
    }

    static OptimizerOptions from(ConfigTree t) {
        double beta1 = 0.9, beta2 = 0.999;
        if (t.has("betas")) {
            var betas = t.listOr("betas", java.util.List.of());
            if (betas.size() != 2 || !(betas.get(0) instanceof Number b1) || !(betas.get(1) instanceof Number b2))
                throw t.wrongType("betas", "a list of two numbers", betas);
            beta1 = b1.doubleValue();
            beta2 = b2.doubleValue();
        }
        return new OptimizerOptions(
                t.optionalString("_target_").orElse("torch.optim.AdamW"),
                t.doubleOr("lr", 1e-3),
                t.doubleOr("weight_decay", 1e-2),
                t.doubleOr("eps", 1e-8),
                beta1,
                beta2);
    }
}
