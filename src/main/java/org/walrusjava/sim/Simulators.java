package org.walrusjava.sim;

import java.util.List;
import org.walrusjava.UserError;

/** The built-in simulated systems, by dataset name. */
public final class Simulators {
    private Simulators() {}

    public static List<SimulatedSystem> all() {
        return List.of(
                new NavierStokes2d(),
                new Acoustics2d(),
                new Acoustics2d("acoustics_2d_closed", List.of(AxisBoundary.walls(), AxisBoundary.walls())),
                new GrayScott2d(),
                new AdvectionDiffusion3d());
    }

    public static List<String> names() {
        return all().stream().map(SimulatedSystem::name).toList();
    }

    /** The system called {@code name}; a UserError listing the known names otherwise. */
    public static SimulatedSystem byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new UserError("unknown system '" + name + "'; known systems: "
                        + String.join(", ", names())));
    }
}
