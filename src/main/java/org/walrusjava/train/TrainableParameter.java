package org.walrusjava.train;

import org.walrusjava.tensor.Tensor;

/**
 * A tensor the optimizer updates: its state-dict key, the leaf tensor itself (updated in place) and the factor
 * applied to the scheduled learning rate for its part of the model.
 */
public record TrainableParameter(String name, Tensor value, double lrMultiplier) {}
