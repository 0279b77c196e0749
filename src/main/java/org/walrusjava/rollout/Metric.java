package org.walrusjava.rollout;

/**
 * The per-field, per-step scores of a rollout. {@link #key()} is the name in metrics.json / metrics.csv: The Well's
 * metric names where The Well has the metric, so numbers can be compared with its tables by name.
 */
public enum Metric {
    MSE("MSE"),
    MAE("MAE"),
    RMSE("RMSE"),
    NRMSE("NRMSE"),
    VRMSE("VRMSE"),
    L_INFINITY("LInfinity"),
    PEARSON_R("PearsonR"),
    SPECTRAL_MSE_LOW("spectral_error_mse_per_bin_0"),
    SPECTRAL_MSE_MID("spectral_error_mse_per_bin_1"),
    SPECTRAL_MSE_HIGH("spectral_error_mse_per_bin_2"),
    SPECTRAL_NMSE_LOW("spectral_error_nmse_per_bin_0"),
    SPECTRAL_NMSE_MID("spectral_error_nmse_per_bin_1"),
    SPECTRAL_NMSE_HIGH("spectral_error_nmse_per_bin_2"),
    /** (sum pred - sum truth) / sum |truth|: the relative drift of the domain integral (mass, energy proxies). */
    INTEGRAL_DRIFT("integral_drift");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Metric spectralMse(int bin) {
        return values()[SPECTRAL_MSE_LOW.ordinal() + bin];
    }

    public static Metric spectralNmse(int bin) {
        return values()[SPECTRAL_NMSE_LOW.ordinal() + bin];
    }
}
