package org.walrusjava.sim;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * A physical system that can produce trajectories with initial conditions and physical parameters drawn from a
 * seed. Implementations are deterministic (same seed and arguments, same numbers) and keep no state between calls,
 * so trajectories can be simulated on several threads at once.
 */
public interface SimulatedSystem {
    /** Dataset name, e.g. "navier_stokes_2d". */
    String name();

    int nSpatialDims();

    default List<String> spatialDims() {
        return List.of("x", "y", "z").subList(0, nSpatialDims());
    }

    /** Field groups in Well order (rank 0 then rank 1 within variable and constant fields). */
    List<FieldGroup> fields();

    default List<FieldGroup> fieldsOfRank(int rank, boolean constant) {
        return fields().stream().filter(g -> g.rank() == rank && g.constant() == constant).toList();
    }

    /** Boundary condition per axis, the same for every trajectory of this system. */
    List<AxisBoundary> boundaries();

    /** Physical time between saved frames. */
    double frameInterval();

    /** Points per axis used when the caller does not choose; always allowed by {@link GridSizes}. */
    int defaultResolution();

    /**
     * Simulates one trajectory on a grid of {@code resolution} points per axis and returns {@code frames} saved
     * states (the initial state included), {@link #frameInterval()} apart. Throws a UserError for a resolution the
     * stride table rejects or fewer than 2 frames.
     */
    default Trajectory simulate(long seed, int resolution, int frames) {
        return simulate(seed, resolution, frames, done -> {});
    }

    /** As {@link #simulate(long, int, int)}, calling {@code framesDone} with the number of frames saved so far. */
    Trajectory simulate(long seed, int resolution, int frames, IntConsumer framesDone);
}
