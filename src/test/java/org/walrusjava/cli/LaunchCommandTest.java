package org.walrusjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The launcher's refusals: each one line, before any rank starts. */
class LaunchCommandTest {
    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun r = CliRun.of("launch", "--nproc", "2", "--master", "127.0.0.1:" + port, "train", "--config", "x.yaml");
            assertEquals(2, r.code());
            assertTrue(r.err().startsWith("walrus: port " + port + " on 127.0.0.1 is in use or cannot be bound ("), r.err());
            assertTrue(r.err().endsWith("); choose another with --master ADDR:PORT\n"), r.err());
            assertEquals(1, r.err().lines().count());
        }
    }

    @Test
    void onlyTrainIsLaunchedAndNodesNeedAReachableMaster() {
        CliRun other = CliRun.of("launch", "--nproc", "2", "rollout", "--steps", "3");
        assertEquals(2, other.code());
        assertEquals("walrus: walrus launch runs 'train' (got 'rollout'); other commands run in one process\n", other.err());
        CliRun nodes = CliRun.of("launch", "--nproc", "2", "--nnodes", "2", "--node-rank", "1", "train");
        assertEquals("walrus: --nnodes 2 needs --master ADDR:PORT with an address the other nodes reach\n", nodes.err());
        CliRun rank = CliRun.of("launch", "--nproc", "2", "--nnodes", "2", "--node-rank", "2", "--master", "n0:1", "train");
        assertEquals("walrus: --node-rank 2 is outside 0..1\n", rank.err());
    }
}
