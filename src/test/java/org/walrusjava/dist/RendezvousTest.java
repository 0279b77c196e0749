package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Device;

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
    void plainCudaGivesEachLocalRankItsOwnGpuAndAnExplicitOneSharedByANodeIsRefused() {
        for (int local = 0; local < 4; local++) {
            Rendezvous r = new Rendezvous("n0", 29500, 4 + local, 8, local, 4);
            assertEquals(new Device("cuda", local), r.device("cuda", null), "local rank " + local);
            assertEquals(new Device("cuda", local), r.device(" CUDA", "0,1,2,3"));
            // Slurm's --gpus-per-task shows each rank its own GPU alone
            assertEquals(new Device("cuda", 0), r.device("cuda", "" + (7 - local)));
            assertEquals(new Device("cuda", 2), r.device("cuda:2", "5"));
            assertEquals(Device.CPU, r.device("cpu", null));
        }
        assertEquals("rank 5: --device cuda:1 would put all 4 ranks of this node on one GPU; give --device cuda to "
                        + "train local rank i on cuda:i (or set each rank's CUDA_VISIBLE_DEVICES to its own GPU)",
                assertThrows(UserError.class, () -> new Rendezvous("n0", 29500, 5, 8, 1, 4).device("cuda:1", null))
                        .getMessage());
        assertEquals("rank 6: local rank 2 has no GPU of its own: CUDA_VISIBLE_DEVICES shows 2 GPUs to the 4 ranks of "
                        + "this node",
                assertThrows(UserError.class, () -> new Rendezvous("n0", 29500, 6, 8, 2, 4).device("cuda", "0,1"))
                        .getMessage());
        // one rank per node, or one process: as given
        assertEquals(new Device("cuda", 3), new Rendezvous("n0", 29500, 1, 2, 0, 1).device("cuda:3", null));
        assertEquals(new Device("cuda", 0), Rendezvous.single().device("cuda", null));
        assertEquals("local rank 2 is outside this node's 2 ranks (LOCAL_RANK, LOCAL_WORLD_SIZE)",
                assertThrows(UserError.class, () -> new Rendezvous("n0", 29500, 2, 4, 2, 2)).getMessage());
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
