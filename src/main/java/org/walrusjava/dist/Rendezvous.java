package org.walrusjava.dist;

import java.util.Map;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Device;

/**
 * Where this process stands among the ranks of a run and where they meet: read from the variables torchrun (and
 * `walrus launch`) set, or else from Slurm's, so that `srun bin/walrus train ...` needs nothing more.
 *
 * @param masterAddr host of rank 0, which serves the rendezvous store
 * @param masterPort its TCP port
 * @param localRank this process's index on its node
 * @param localWorldSize processes on this node
 */
public record Rendezvous(String masterAddr, int masterPort, int rank, int worldSize, int localRank, int localWorldSize) {
    /** torchrun's default port, also used under Slurm when MASTER_PORT is not set. */
    public static final int DEFAULT_PORT = 29500;

    public Rendezvous {
        if (worldSize < 1) throw new UserError("world size is " + worldSize + "; it must be at least 1");
        if (rank < 0 || rank >= worldSize)
            throw new UserError("rank " + rank + " is outside the world of " + worldSize + " ranks (0.." + (worldSize - 1) + ")");
        if (masterPort < 1 || masterPort > 65535) throw new UserError("master port " + masterPort + " is not a TCP port");
        if (localRank < 0 || localRank >= localWorldSize)
            throw new UserError("local rank " + localRank + " is outside this node's " + localWorldSize
                    + " ranks (LOCAL_RANK, LOCAL_WORLD_SIZE)");
    }

    /** One process alone: no group is formed. */
    public static Rendezvous single() {
        return new Rendezvous("127.0.0.1", DEFAULT_PORT, 0, 1, 0, 1);
    }

    public boolean distributed() {
        return worldSize > 1;
    }

    /**
     * The device this rank trains on, given as --device: plain "cuda" is this rank's own GPU, cuda:LOCAL_RANK, or
     * cuda:0 where CUDA_VISIBLE_DEVICES ({@code visible}, null when unset) shows it a single GPU, as Slurm's
     * --gpus-per-task does. An explicit cuda:N is taken as given, and refused where several ranks share this node
     * and could see more than one GPU: every rank is started with the same arguments, so they would all train on
     * that one GPU, which NCCL refuses.
     */
    public Device device(String given, String visible) {
        Device d = Device.parse(given);
        if (!d.isCuda()) return d;
        int gpus = visible == null ? -1 : (int) java.util.Arrays.stream(visible.split(",")).filter(v -> !v.isBlank()).count();
        boolean plain = given.trim().equalsIgnoreCase("cuda");
        if (!plain) {
            if (localWorldSize > 1 && gpus != 1)
                throw new UserError("rank " + rank + ": --device " + d + " would put all " + localWorldSize + " ranks of "
                        + "this node on one GPU; give --device cuda to train local rank i on cuda:i (or set each rank's "
                        + "CUDA_VISIBLE_DEVICES to its own GPU)");
            return d;
        }
        if (gpus == 1) return new Device("cuda", 0);
        if (gpus > 1 && localRank >= gpus)
            throw new UserError("rank " + rank + ": local rank " + localRank + " has no GPU of its own: "
                    + "CUDA_VISIBLE_DEVICES shows " + gpus + " GPUs to the " + localWorldSize + " ranks of this node");
        return new Device("cuda", localRank);
    }

    /**
     * The rendezvous the environment describes: torchrun's RANK / WORLD_SIZE (with MASTER_ADDR, MASTER_PORT,
     * LOCAL_RANK, LOCAL_WORLD_SIZE), else Slurm's SLURM_PROCID / SLURM_NTASKS (master: MASTER_ADDR or the first host
     * of SLURM_JOB_NODELIST), else a single process.
     */
    public static Rendezvous fromEnvironment(Map<String, String> env) {
        if (env.containsKey("WORLD_SIZE") || env.containsKey("RANK")) {
            int world = integer(env, "WORLD_SIZE", null);
            return new Rendezvous(required(env, "MASTER_ADDR"), integer(env, "MASTER_PORT", null), integer(env, "RANK", null),
                    world, integer(env, "LOCAL_RANK", 0), integer(env, "LOCAL_WORLD_SIZE", world));
        }
        if (env.containsKey("SLURM_PROCID") && env.containsKey("SLURM_NTASKS")) {
            int world = integer(env, "SLURM_NTASKS", null);
            String master = env.get("MASTER_ADDR");
            if (master == null) master = firstHost(required(env, "SLURM_JOB_NODELIST"));
            int local = integer(env, "SLURM_LOCALID", 0);
            int perNode = env.containsKey("SLURM_NTASKS_PER_NODE")
                    ? leadingInteger(env.get("SLURM_NTASKS_PER_NODE"), "SLURM_NTASKS_PER_NODE") : world;
            return new Rendezvous(master, integer(env, "MASTER_PORT", DEFAULT_PORT), integer(env, "SLURM_PROCID", null),
                    world, local, perNode);
        }
        return single();
    }

    /**
     * The first host of a Slurm node list: "gpu[03-05,07],cpu1" gives "gpu03", "node7,node8" gives "node7".
     */
    static String firstHost(String nodeList) {
        String first = nodeList.trim();
        int bracket = first.indexOf('[');
        int comma = first.indexOf(',');
        if (bracket < 0 || (comma >= 0 && comma < bracket)) return comma < 0 ? first : first.substring(0, comma);
        int close = first.indexOf(']', bracket);
        if (close < 0) throw new UserError("SLURM_JOB_NODELIST '" + nodeList + "' has an unclosed '['");
        String range = first.substring(bracket + 1, close).split(",")[0].split("-")[0];
        return first.substring(0, bracket) + range;
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) throw new UserError(name + " is not set (needed to find the other ranks)");
        return v.trim();
    }

    private static int integer(Map<String, String> env, String name, Integer fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) throw new UserError(name + " is not set (needed to find the other ranks)");
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserError(name + "='" + v + "' is not a whole number");
        }
    }

    /** Slurm writes "4(x2)" for 4 tasks on each of 2 nodes. */
    private static int leadingInteger(String v, String name) {
        String digits = v.replaceFirst("^(\\d+).*", "$1");
        if (!digits.matches("\\d+")) throw new UserError(name + "='" + v + "' does not start with a number");
        return Integer.parseInt(digits);
    }
}
