package org.walrusjava.rollout;

/**
 * Hears how far long work has got: {@code done} of {@code total} units (model steps), so a caller can show a rate
 * and an ETA.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    void update(long done, long total);
}
