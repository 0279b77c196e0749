package org.walrusjava.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;

class SimulatorsTest {
    /** Physical field names of the released Walrus vocabulary (spec section 3) that simulators may use. */
    private static final Set<String> VOCABULARY = Set.of("pressure", "velocity_x", "velocity_y", "velocity_z",
            "speed_of_sound", "concentration", "density", "energy", "A", "B", "tracer", "buoyancy", "temperature",
            "height", "momentum_x", "momentum_y", "momentum_z");

    private static int smallResolution(SimulatedSystem system) {
        return system.nSpatialDims() == 2 ? 32 : 16;
    }

    @Test
    void registryNamesTheSystemsAndRejectsUnknownOnes() {
        assertEquals(List.of("navier_stokes_2d", "acoustics_2d", "acoustics_2d_closed", "gray_scott_2d",
                "advection_diffusion_3d"), Simulators.names());
        for (String name : Simulators.names()) assertEquals(name, Simulators.byName(name).name());
        UserError e = assertThrows(UserError.class, () -> Simulators.byName("navier_stokes"));
        assertTrue(e.getMessage().contains("navier_stokes_2d") && e.getMessage().contains("advection_diffusion_3d"));
    }

    @Test
    void gridSizesFollowTheStrideTable() {
        assertEquals(List.of(32, 128, 256, 384, 512, 768, 1024), GridSizes.allowed(2));
        assertEquals(List.of(16, 64, 128, 192, 256, 384, 512), GridSizes.allowed(3));
        UserError e = assertThrows(UserError.class, () -> new GrayScott2d().simulate(0, 64, 10));
        assertTrue(e.getMessage().contains("64") && e.getMessage().contains("128"), e.getMessage());
        assertThrows(UserError.class, () -> new AdvectionDiffusion3d().simulate(0, 32, 10));
        assertThrows(UserError.class, () -> new NavierStokes2d().simulate(0, 32, 1));
        for (SimulatedSystem system : Simulators.all())
            assertTrue(GridSizes.allowed(system.nSpatialDims()).contains(system.defaultResolution()));
    }

    @Test
    void trajectoriesHaveTheDeclaredLayoutAndVocabularyNames() {
        for (SimulatedSystem system : Simulators.all()) {
            int n = smallResolution(system);
            Trajectory t = system.simulate(1, n, 4);
            int points = (int) Math.pow(n, system.nSpatialDims());
            assertEquals(system.spatialDims(), t.spatialDims());
            assertArrayEquals(system.nSpatialDims() == 2 ? new int[] {n, n} : new int[] {n, n, n}, t.shape());
            assertEquals(system.boundaries(), t.boundaries());
            assertEquals(4, t.nFrames());
            for (int s = 0; s < 4; s++) assertEquals(s * system.frameInterval(), t.time()[s], 1e-12);
            for (double[] axis : t.coordinates()) assertEquals(n, axis.length);
            for (FieldGroup group : system.fields()) {
                assertEquals(group.rank() == 0 ? 1 : system.nSpatialDims(), group.components().size());
                for (String component : group.components()) {
                    assertTrue(VOCABULARY.contains(component), system.name() + ": " + component);
                    float[] values = group.constant() ? t.constantFields().get(component) : t.frame(component, 3);
                    assertEquals(points, values.length);
                    for (float v : values) assertTrue(Float.isFinite(v), system.name() + " " + component);
                }
                assertEquals(points * group.components().size(), t.interleaved(group, 2).length);
            }
            assertFalse(t.parameters().isEmpty());
        }
    }

    @Test
    void fieldGroupsByRankAndBoundaryCodesForAWellWriter() {
        SimulatedSystem acoustics = Simulators.byName("acoustics_2d");
        assertEquals(List.of("pressure"), acoustics.fieldsOfRank(0, false).stream().map(FieldGroup::name).toList());
        assertEquals(List.of("velocity_x", "velocity_y"), acoustics.fieldsOfRank(1, false).get(0).components());
        assertEquals(List.of("density", "speed_of_sound"),
                acoustics.fieldsOfRank(0, true).stream().map(FieldGroup::name).toList());
        assertEquals(List.of(AxisBoundary.open(), AxisBoundary.walls()), acoustics.boundaries());
        assertEquals(List.of(0, 1, 2), Arrays.stream(BoundaryType.values()).map(BoundaryType::wellCode).toList());
        Trajectory t = Simulators.byName("advection_diffusion_3d").simulate(0, 16, 2);
        assertEquals(List.of("density"), t.variableGroups().stream().map(FieldGroup::name).toList());
        assertEquals(List.of("velocity_x", "velocity_y", "velocity_z"), t.constantGroups().get(0).components());
    }

    @Test
    void interleavedPutsComponentsFastest() {
        Trajectory t = new NavierStokes2d().simulate(2, 32, 2);
        FieldGroup velocity = t.fields().stream().filter(g -> g.name().equals("velocity")).findFirst().orElseThrow();
        float[] both = t.interleaved(velocity, 1);
        assertEquals(t.frame("velocity_x", 1)[77], both[2 * 77]);
        assertEquals(t.frame("velocity_y", 1)[77], both[2 * 77 + 1]);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        for (SimulatedSystem system : Simulators.all()) {
            int n = smallResolution(system);
            Trajectory a = system.simulate(42, n, 3), b = system.simulate(42, n, 3), c = system.simulate(43, n, 3);
            assertEquals(a.parameters(), b.parameters());
            for (String name : a.variableFields().keySet()) {
                assertArrayEquals(a.frame(name, 2), b.frame(name, 2), system.name() + " " + name);
                assertFalse(Arrays.equals(a.frame(name, 2), c.frame(name, 2)), system.name() + " " + name);
            }
        }
    }

    /** The frame interval makes persistence neither trivial nor hopeless: 1-step VRMSE in [0.05, 0.5]. */
    @Test
    void persistenceOneStepVrmseIsInRangeAtSmallResolution() {
        for (SimulatedSystem system : Simulators.all())
            for (long seed = 0; seed < 4; seed++) {
                double vrmse = PersistenceBaseline.oneStepVrmse(system.simulate(seed, smallResolution(system), 40));
                assertTrue(vrmse > 0.05 && vrmse < 0.5, system.name() + " seed " + seed + ": " + vrmse);
            }
    }

    @Test
    void persistenceOneStepVrmseIsInRangeAtDefaultResolution() {
        for (SimulatedSystem system : Simulators.all()) {
            if (system.nSpatialDims() == 3) continue; // 64^3 is covered by the same physics at 16^3; too slow here
            double vrmse = PersistenceBaseline.oneStepVrmse(system.simulate(7, system.defaultResolution(), 20));
            assertTrue(vrmse > 0.05 && vrmse < 0.5, system.name() + ": " + vrmse);
        }
    }

    @Test
    void vrmseFollowsTheWellDefinition() {
        float[] truth = {1, 2, 3, 4}, prediction = {1, 2, 3, 6};
        // MSE = 1, unbiased variance = 5/3
        assertEquals(Math.sqrt(1 / (5.0 / 3 + 1e-7)), PersistenceBaseline.vrmse(prediction, truth), 1e-12);
    }
}
