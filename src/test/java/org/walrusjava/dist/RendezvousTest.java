package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;

class RendezvousTest {
    @Test
    void torchrunVariablesWin() {
        Rendezvous r = Rendezvous.fromEnvironment(Map.of("MASTER_ADDR", "node1", "MASTER_PORT", "1234", "RANK", "5",
                "WORLD_SIZE", "8", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "4", "SLURM_PROCID", "0", "SLURM_NTASKS", "2"));
        assertEquals(new Rendezvous("node1", 1234, 5, 8, 1, 4), r);
        assertTrue(r.distributed());
    }

    @Test
    void slurmGivesRanksAndTheFirstNodeHostsRankZero() {
        Rendezvous r = Rendezvous.fromEnvironment(Map.of("SLURM_PROCID", "3", "SLURM_NTASKS", "4", "SLURM_LOCALID", "1",
                "SLURM_NTASKS_PER_NODE", "2(x2)", "SLURM_JOB_NODELIST", "gpu[07-08,11],cpu1"));
        assertEquals(new Rendezvous("gpu07", Rendezvous.DEFAULT_PORT, 3, 4, 1, 2), r);
        assertEquals("node7", Rendezvous.firstHost("node7,node8"));
        assertEquals("a", Rendezvous.firstHost("a,b[1-2]"));
        assertEquals("n12", Rendezvous.firstHost("n[12]"));
    }

    @Test
    void noVariablesMeanOneProcess() {
        assertFalse(Rendezvous.fromEnvironment(Map.of()).distributed());
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertEquals("RANK='x' is not a whole number", assertThrows(UserError.class, () -> Rendezvous.fromEnvironment(
                Map.of("MASTER_ADDR", "h", "MASTER_PORT", "1", "RANK", "x", "WORLD_SIZE", "2"))).getMessage());
        assertEquals("rank 2 is outside the world of 2 ranks (0..1)", assertThrows(UserError.class,
                () -> Rendezvous.fromEnvironment(Map.of("MASTER_ADDR", "h", "MASTER_PORT", "1", "RANK", "2",
                        "WORLD_SIZE", "2"))).getMessage());
        assertEquals("MASTER_ADDR is not set (needed to find the other ranks)", assertThrows(UserError.class,
                () -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "2"))).getMessage());
    }
}
