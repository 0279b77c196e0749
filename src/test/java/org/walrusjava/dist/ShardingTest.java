package org.walrusjava.dist;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.ProcessGroup;

class ShardingTest {
    @Test
    void upstreamNamesChooseTheMode() {
        assertEquals(DataParallel.Mode.REPLICATED, DataParallel.Mode.parse("ddp"));
        assertEquals(DataParallel.Mode.REPLICATED, DataParallel.Mode.parse("local"));
        assertEquals(DataParallel.Mode.SHARDED, DataParallel.Mode.parse("fsdp"));
        assertEquals(DataParallel.Mode.HYBRID, DataParallel.Mode.parse(" HSDP"));
        assertEquals("distribution type 'zero' is not one of local, ddp, fsdp, hsdp",
                assertThrows(UserError.class, () -> DataParallel.Mode.parse("zero")).getMessage());
    }

    @Test
    void parametersAreDealtLargestFirstToTheLeastLoadedRank() {
        // 100 -> rank 0; 60 -> 1; 50 -> 1 (60 < 100); 40 -> 0 (100 < 110); 10 -> 1 (110 < 140)
        assertArrayEquals(new int[] {1, 0, 1, 0, 1}, DataParallel.deal(new long[] {10, 100, 50, 40, 60}, new int[5], 2));
        assertArrayEquals(new int[] {0, 0}, DataParallel.deal(new long[] {3, 3}, new int[2], 1));
    }

    @Test
    void eachGroupIsDealtOnItsOwnLoadsSoThatAStepTrainingOneGroupSplitsEvenly() {
        // the tiny model's four largest tensors, embed.2, embed.3, debed.2, debed.3: by size alone rank 0 would own both
        // 2-D ones and rank 1 both 3-D ones, so a 2-D step's gradients would all go to rank 0
        long[] sizes = {8, 8, 8, 8, 3};
        int[] groups = {2, 3, 2, 3, 0};
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, DataParallel.deal(sizes, new int[5], 2));
        assertArrayEquals(new int[] {0, 1, 1, 0, 0}, DataParallel.deal(sizes, groups, 2));
        assertEquals(2, org.walrusjava.train.ModelParts.trainedOnlyBy("embed.2.proj1.weight"));
        assertEquals(3, org.walrusjava.train.ModelParts.trainedOnlyBy("debed.3.proj2.bias"));
        assertEquals(0, org.walrusjava.train.ModelParts.trainedOnlyBy("blocks.0.space_mixing.ff_out.weight"));
        assertEquals(0, org.walrusjava.train.ModelParts.trainedOnlyBy("encoder_dummy"));
    }

    @Test
    void hsdpShardsWithinNodesNumberedNodeByNodeAndReplicatesAcross() {
        DataParallel.Nodes nodes = new DataParallel.Nodes(3, 2);
        assertArrayEquals(new int[] {4, 5}, nodes.node(2));
        assertArrayEquals(new int[] {1, 3, 5}, nodes.replicas(1));
    }

    @Test
    void aSingleProcessOwnsEverything() {
        assertNull(DataParallel.single().mode(DataParallel.Mode.SHARDED).owners(new long[] {5, 3}, new int[2]));
        assertNull(DataParallel.join(Rendezvous.single(), Map.of(), Device.CPU).owners(new long[] {5}, new int[1]));
    }

    @Test
    void ranksOnCudaNeedNcclWhichTheCpuBuildRefusesInOneLineBeforeTheRendezvous() throws Exception {
        assumeFalse(ProcessGroup.ncclBuilt(), "the GPU build has NCCL");
        Device cuda = new Device("cuda", 0);
        int port = DataParallelTrainingTest.freePort();
        UserError e = assertThrows(UserError.class, () -> DataParallel.join(new Rendezvous("127.0.0.1", port, 0, 2, 0, 2),
                Map.of(), cuda));
        assertEquals("rank 0: several ranks on cuda:0 exchange over NCCL, which this build lacks (CPU libtorch); build "
                + "with the gpu profile: WALRUS_MAVEN_PROFILE=gpu bin/walrus ..., or mvn -Pgpu", e.getMessage());
        // the process group itself, asked anyway, fails as an exception rather than a crash
        ProcessGroup.Failure f = assertThrows(ProcessGroup.Failure.class, () -> ProcessGroup.nccl("127.0.0.1", port, cuda,
                0, 1, Duration.ofSeconds(10), Duration.ofSeconds(10)));
        assertTrue(f.getMessage().contains("org.bytedeco.cuda.presets.nccl"), f.getMessage());
    }
}
