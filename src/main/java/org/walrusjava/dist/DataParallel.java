package org.walrusjava.dist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.walrusjava.UserError;
import org.walrusjava.tensor.Autograd;
import org.walrusjava.tensor.DType;
import org.walrusjava.tensor.Device;
import org.walrusjava.tensor.NativeScope;
import org.walrusjava.tensor.ProcessGroup;
import org.walrusjava.tensor.Tensor;

/**
 * The ranks of a data-parallel run and what they exchange: the initial weights (from rank 0), the summed gradients
 * of every optimizer step, a few counters and the per-rank generator states for checkpoints. With one process
 * every exchange is the identity, so the trainer has one code path.
 *
 * <p>Timeouts: WALRUS_DIST_RENDEZVOUS_TIMEOUT (seconds, default 300) bounds the wait for all ranks at the start;
 * WALRUS_DIST_TIMEOUT (seconds, default 1800, as torch's) bounds how long a rank waits in one exchange for the others,
 * so a rank that hangs makes the others stop after at most that long (one that dies makes them stop at once).
 */
public final class DataParallel implements AutoCloseable {
    /** Gradients are summed in buffers of about this size: few, large messages, without doubling peak memory. */
    static final long BUCKET_BYTES = 25L << 20;

    /**
     * How the ranks share the training state (the released config's distribution.distribution_type). REPLICATED
     * (ddp): every rank receives all summed gradients and keeps all optimizer moments. SHARDED (fsdp; ZeRO stage 2):
     * each parameter has one owner rank, which alone receives its summed gradient (the others drop theirs once sent),
     * keeps its moments, updates it and broadcasts the result; so at the optimizer step each rank holds about 1/N of
     * the gradients and moments. HYBRID (hsdp): SHARDED among the ranks of each node and replicated across nodes: each
     * parameter has one owner on every node, the owners of a parameter add their nodes' sums, and each node's owner
     * updates it and broadcasts it within its node; so a rank holds about 1/(ranks per node) of the gradients and
     * moments, and only the owners' shards cross between nodes. Weights are whole on every rank between steps; fsdp
     * with activation checkpointing parks the processor blocks' weights on their owners during the micro-batches
     * (train.BlockWeightShards), and every rank accumulates all gradients during the micro-batches' backward.
     */
    public enum Mode {
        REPLICATED, SHARDED, HYBRID;

        /** Upstream's names: local (one process) and ddp replicate, fsdp shards, hsdp shards per node. */
        public static Mode parse(String name) {
            return switch (name.trim().toLowerCase()) {
                case "local", "ddp" -> REPLICATED;
                case "fsdp" -> SHARDED;
                case "hsdp" -> HYBRID;
                default -> throw new UserError("distribution type '" + name + "' is not one of local, ddp, fsdp, hsdp");
            };
        }
    }

    /**
     * hsdp's view of the ranks: {@code count} nodes of {@code perNode} ranks each, numbered node by node (rank = node
     * x perNode + local rank), as torchrun, walrus launch and Slurm's default block distribution number them.
     */
    record Nodes(int count, int perNode) {
        /** The ranks of node {@code n}, by local rank: the ranks that shard the state among them. */
        int[] node(int n) {
            return java.util.stream.IntStream.range(0, perNode).map(l -> n * perNode + l).toArray();
        }

        /** The ranks with local rank {@code l}, by node: the owners of the same shard on every node. */
        int[] replicas(int l) {
            return java.util.stream.IntStream.range(0, count).map(n -> n * perNode + l).toArray();
        }
    }

    private final Rendezvous where;
    private final ProcessGroup group;
    private final Duration timeout;
    /** Bytes of gradients per summed bucket: WALRUS_DIST_BUCKET_MB, else {@link #BUCKET_BYTES}. */
    private final long bucketBytes;
    private Mode mode = Mode.REPLICATED;
    /** The ranks among which each parameter has one owner (null: every rank updates every parameter). */
    private ProcessGroup shards;
    /** The global rank of {@link #shards}' rank 0, so that owners are global ranks. */
    private int firstOwner;
    /** hsdp: the ranks that own the same parameters on the other nodes (null: one node, or none shard). */
    private ProcessGroup replicas;
    /** hsdp's node and replica groups, built once, closed with this. */
    private final List<ProcessGroup> subgroups = new ArrayList<>();
    /** ddp's group for gradient sums started during the backward pass, built once, closed with this. */
    private ProcessGroup overlap;

    private DataParallel(Rendezvous where, ProcessGroup group, Duration timeout, long bucketBytes) {
        this.where = where;
        this.group = group;
        this.timeout = timeout;
        this.bucketBytes = bucketBytes;
    }

    /**
     * Chooses how the ranks share the optimizer state (before training starts; hsdp: every rank at once, as it
     * builds the node and replica groups). hsdp on one node is fsdp, and hsdp with one rank per node is ddp, exactly.
     */
    public DataParallel mode(Mode m) {
        this.mode = m;
        shards = null;
        replicas = null;
        firstOwner = 0;
        if (group == null || m == Mode.REPLICATED) return this;
        if (m == Mode.SHARDED) {
            shards = group;
            return this;
        }
        Nodes nodes = agreeOnNodes();
        if (nodes.count() == 1) shards = group;
        if (nodes.count() == 1 || nodes.perNode() == 1) return this;
        if (subgroups.isEmpty()) {
            int node = rank() / nodes.perNode(), local = rank() % nodes.perNode();
            exchange("setting up the node and replica groups for hsdp", () -> {
                subgroups.add(group.subgroup("node" + node, nodes.node(node)));
                subgroups.add(group.subgroup("replica" + local, nodes.replicas(local)));
            });
        }
        shards = subgroups.get(0);
        replicas = subgroups.get(1);
        firstOwner = rank() - shards.rank();
        return this;
    }

    /**
     * The nodes of an hsdp run, after checking over all ranks that every node has the same number of ranks and that
     * the ranks are numbered node by node, so that every rank refuses a layout that some rank finds wrong.
     */
    private Nodes agreeOnNodes() {
        int perNode = where.localWorldSize();
        boolean numbered = where.localRank() == rank() % perNode;
        double[] largest;
        try (NativeScope scope = NativeScope.open()) {
            Tensor t = Tensor.of(new double[] {perNode, -perNode, numbered ? 0 : rank() + 1}, 3);
            exchange("comparison of the ranks per node", () -> group.allReduce(t, ProcessGroup.Reduction.MAX));
            largest = t.toDoubleArray();
        }
        if (largest[0] != -largest[1])
            throw new UserError("rank " + rank() + ": hsdp needs the same number of ranks on every node, but "
                    + "LOCAL_WORLD_SIZE ranges from " + (int) -largest[1] + " to " + (int) largest[0] + " over the ranks");
        if (worldSize() % perNode != 0)
            throw new UserError("rank " + rank() + ": hsdp needs the same number of ranks on every node, but the "
                    + worldSize() + " ranks do not make whole nodes of " + perNode + " (LOCAL_WORLD_SIZE)");
        if (largest[2] > 0)
            throw new UserError("rank " + rank() + ": hsdp needs the ranks numbered node by node (RANK = node x "
                    + "LOCAL_WORLD_SIZE + LOCAL_RANK, as torchrun, walrus launch and Slurm's block distribution do), but "
                    + "rank " + (int) (largest[2] - 1) + " is not");
        return new Nodes(worldSize() / perNode, perNode);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The rank that updates each parameter (by index): all ranks' own in replicated mode or alone (null), else
     * parameters dealt largest first to the rank with the fewest elements so far, so the gradients and moments split
     * evenly. Each group of parameters that train together (the steps of one dimensionality, say) is dealt on its own
     * loads, ties going to the rank with the fewest elements overall, so that not only the totals split evenly but
     * also the gradients of a step that trains only some groups.
     *
     * @param groups a group number per parameter
     */
    public int[] owners(long[] sizes, int[] groups) {
        if (shards == null) return null;
        int[] owners = deal(sizes, groups, shards.size());
        for (int i = 0; i < owners.length; i++) owners[i] += firstOwner;
        return owners;
    }

    static int[] deal(long[] sizes, int[] groups, int ranks) {
        Integer[] order = new Integer[sizes.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> sizes[a] != sizes[b] ? Long.compare(sizes[b], sizes[a]) : Integer.compare(a, b));
        long[] load = new long[ranks];
        Map<Integer, long[]> groupLoads = new java.util.HashMap<>();
        int[] owner = new int[sizes.length];
        for (int i : order) {
            long[] inGroup = groupLoads.computeIfAbsent(groups[i], g -> new long[ranks]);
            int least = 0;
            for (int r = 1; r < ranks; r++)
                if (inGroup[r] < inGroup[least] || (inGroup[r] == inGroup[least] && load[r] < load[least])) least = r;
            owner[i] = least;
            load[least] += sizes[i];
            inGroup[least] += sizes[i];
        }
        return owner;
    }

    /** Overwrites each tensor on every rank with its owner's (after the owners' optimizer updates). */
    public void broadcastFromOwners(List<Tensor> tensors, int[] owners) {
        try (Autograd off = Autograd.off()) {
            for (int i = 0; i < tensors.size(); i++) broadcastFromOwner(tensors.get(i), owners[i], "the updated weights");
        }
    }

    /**
     * The tensor of {@code owner} ({@link #owners}) on every rank ({@code t} is overwritten elsewhere); with hsdp each
     * node's owner sends its own copy within its node.
     */
    public void broadcastFromOwner(Tensor t, int owner, String what) {
        if (shards != null) exchange("broadcast of " + what, () -> shards.broadcast(t, owner - firstOwner));
    }

    /**
     * Sums a contiguous CPU tensor in place over the ranks that share the optimizer state among them: all ranks when
     * fsdp shards it, a node's with hsdp (every node holds every shard once), none when the state is replicated.
     */
    public void sumOverShards(Tensor t) {
        if (shards != null) exchange("all-reduce over the shards", () -> shards.allReduce(t, ProcessGroup.Reduction.SUM));
    }

    /** One process alone. */
    public static DataParallel single() {
        return new DataParallel(Rendezvous.single(), null, Duration.ZERO, BUCKET_BYTES);
    }

    /**
     * Joins the ranks that the environment describes (see {@link Rendezvous#fromEnvironment}), to train on
     * {@code device}.
     */
    public static DataParallel fromEnvironment(Device device) {
        return join(Rendezvous.fromEnvironment(System.getenv()), System.getenv(), device);
    }

    /**
     * Meets the other ranks (rank 0 serves the store); all must have been started with the same world size. They
     * exchange over Gloo when training on the CPU and over NCCL on CUDA devices (the GPU build only; never yet run).
     */
    public static DataParallel join(Rendezvous r, Map<String, String> env, Device device) {
        if (!r.distributed()) return single();
        // before the rendezvous, so that the ranks stop at once rather than after its timeout
        if (device.isCuda() && !ProcessGroup.ncclBuilt())
            throw new UserError("rank " + r.rank() + ": several ranks on " + device + " exchange over NCCL, which this "
                    + "build lacks (CPU libtorch); build with the gpu profile: WALRUS_MAVEN_PROFILE=gpu bin/walrus ..., "
                    + "or mvn -Pgpu");
        Duration rendezvous = seconds(env, "WALRUS_DIST_RENDEZVOUS_TIMEOUT", 300);
        Duration collectives = seconds(env, "WALRUS_DIST_TIMEOUT", 1800);
        String at = r.masterAddr() + ":" + r.masterPort();
        ProcessGroup g;
        try {
            g = device.isCuda()
                    ? ProcessGroup.nccl(r.masterAddr(), r.masterPort(), device, r.rank(), r.worldSize(), rendezvous,
                            collectives)
                    : ProcessGroup.gloo(r.masterAddr(), r.masterPort(), localHost(r, env), r.rank(), r.worldSize(),
                            rendezvous, collectives);
        } catch (ProcessGroup.Failure e) {
            throw new UserError("rank " + r.rank() + ": " + rendezvousProblem(e.getMessage(), r, at, rendezvous), e);
        }
        return new DataParallel(r, g, collectives, bucketBytes(env));
    }

    /** The device this rank trains on, given as --device (see {@link Rendezvous#device}). */
    public Device device(String given) {
        return where.device(given, System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    public int rank() {
        return where.rank();
    }

    public int worldSize() {
        return where.worldSize();
    }

    /** Rank 0: the one that logs, prints and writes checkpoints. */
    public boolean leader() {
        return where.rank() == 0;
    }

    /** Copies rank 0's values into every rank's tensors, then checks that all ranks hold the same bits. */
    public void broadcastFromLeader(List<Tensor> tensors) {
        if (group == null) return;
        try (Autograd off = Autograd.off()) {
            for (Tensor t : tensors) exchange("broadcast of the weights", () -> group.broadcast(t, 0));
        }
        checkIdentical(tensors, "after the broadcast from rank 0");
    }

    /**
     * Checks that every rank holds bit for bit the same values (a CRC-32 of their bytes, compared over the ranks)
     * and returns that checksum; {@code when} completes the error message.
     */
    public long checkIdentical(List<Tensor> tensors, String when) {
        CRC32 crc = new CRC32();
        for (Tensor t : tensors) crc.update(t.toBytes());
        long mine = crc.getValue();
        if (group == null) return mine;
        // a CRC-32 is exact in a double, so the smallest and largest over the ranks agree only if all do
        double[] lowest = extreme(mine, ProcessGroup.Reduction.MIN), highest = extreme(mine, ProcessGroup.Reduction.MAX);
        if (lowest[0] != highest[0])
            throw new UserError("rank " + rank() + ": the weights differ across ranks " + when + " (checksums "
                    + Long.toHexString((long) lowest[0]) + " to " + Long.toHexString((long) highest[0]) + ")");
        return mine;
    }

    private double[] extreme(long value, ProcessGroup.Reduction reduction) {
        try (NativeScope scope = NativeScope.open()) {
            Tensor t = Tensor.of(new double[] {value}, 1);
            exchange("comparison of the weights", () -> group.allReduce(t, reduction));
            return t.toDoubleArray();
        }
    }

    /**
     * Sums the gradients of these leaves over all ranks, bucketed, after the micro-batches' backward: onto every rank
     * when {@code owners} is null, else each onto its owner alone ({@link #owners}), the other ranks dropping theirs.
     */
    public void sumGradients(List<Tensor> leaves, int[] owners) {
        if (group == null) return;
        try (Autograd off = Autograd.off()) {
            if (owners == null) {
                exchange("all-reduce of the gradients", () -> group.sumGradients(leaves, bucketBytes, null));
                return;
            }
            int[] inGroup = java.util.Arrays.stream(owners).map(o -> o - firstOwner).toArray();
            exchange("reduction of the gradients onto their owners",
                    () -> shards.sumGradients(leaves, bucketBytes, inGroup));
            if (replicas == null) return;
            // every node's owner now holds its node's sums of the same parameters; adding those gives all ranks' sums
            List<Tensor> own = new ArrayList<>();
            for (int i = 0; i < leaves.size(); i++) if (owners[i] == rank()) own.add(leaves.get(i));
            exchange("all-reduce of the gradients across nodes", () -> replicas.sumGradients(own, bucketBytes, null));
        }
    }

    /** The element-wise sums of {@code values} over all ranks. */
    public double[] sum(double[] values) {
        return combine(values, ProcessGroup.Reduction.SUM, "all-reduce of the step's loss");
    }

    /** The element-wise largest of {@code values} over all ranks. */
    double[] max(double[] values) {
        return combine(values, ProcessGroup.Reduction.MAX, "comparison of the gradients held");
    }

    private double[] combine(double[] values, ProcessGroup.Reduction reduction, String what) {
        if (group == null) return values.clone();
        try (NativeScope scope = NativeScope.open()) {
            Tensor t = Tensor.of(values, values.length);
            exchange(what, () -> group.allReduce(t, reduction));
            return t.toDoubleArray();
        }
    }

    /**
     * The gradient sum started during the backward pass ({@link OverlappedGradientSum}) for these leaves (groups: as
     * for {@link #owners}, the parameters that train apart from the rest; owners: as {@link #owners} gave them, null
     * under ddp), or null where there is nothing to overlap: one process, or hsdp (whose sums cross two groups).
     */
    public OverlappedGradientSum overlappedSum(List<Tensor> leaves, int[] groups, int[] owners) {
        if (group == null || mode == Mode.HYBRID) return null;
        if (overlap == null)
            overlap = group.subgroup("gradients", java.util.stream.IntStream.range(0, worldSize()).toArray());
        return new OverlappedGradientSum(this, overlap, leaves, groups, owners, bucketBytes);
    }

    /** A failed exchange as the user should read it. */
    UserError failure(String what, ProcessGroup.Failure e) {
        return new UserError("rank " + rank() + ": " + what + " failed: " + peerProblem(e.getMessage()), e);
    }

    /** Sums a contiguous CPU tensor over all ranks, in place. */
    public void sumInPlace(Tensor t) {
        if (group != null) exchange("all-reduce", () -> group.allReduce(t, ProcessGroup.Reduction.SUM));
    }

    /**
     * Every rank's copy of a byte tensor of the same length on all ranks (the generator states), by rank; the
     * result's tensors belong to the caller's scope.
     */
    public List<Tensor> gather(Tensor bytes) {
        if (group == null) return List.of(bytes);
        long n = bytes.numel();
        // One row per rank, zero except this rank's: a sum then holds every row exactly (bytes are exact in fp32).
        Tensor rows = Tensor.zeros(DType.FLOAT32, bytes.device(), worldSize(), n);
        rows.select(0, rank()).copy_(bytes.to(DType.FLOAT32));
        exchange("gathering of the generator states", () -> group.allReduce(rows, ProcessGroup.Reduction.SUM));
        List<Tensor> out = new ArrayList<>();
        for (int r = 0; r < worldSize(); r++) out.add(rows.select(0, r).to(DType.UINT8));
        return out;
    }

    private void exchange(String what, Runnable call) {
        try {
            call.run();
        } catch (ProcessGroup.Failure e) {
            throw failure(what, e);
        }
    }

    /** What a failed exchange means for the user, naming the rank that went away when it can be known. */
    private String peerProblem(String message) {
        String peer = worldSize() == 2 ? "rank " + (1 - rank()) : "another rank";
        String lower = message.toLowerCase();
        if (lower.contains("closed by peer") || lower.contains("connection reset") || lower.contains("broken pipe")
                || lower.contains("connection refused"))
            return peer + " went away (it died or was killed; see its output) [" + message + "]";
        if (lower.contains("timed out") || lower.contains("timeout"))
            return peer + " did not answer within " + timeout.toSeconds() + " s (WALRUS_DIST_TIMEOUT): it hung or died ["
                    + message + "]";
        return message;
    }

    private static String rendezvousProblem(String message, Rendezvous r, String at, Duration timeout) {
        String lower = message.toLowerCase();
        if (lower.startsWith("world-size mismatch"))
            return message + "; start every rank with the same WORLD_SIZE (--nproc x --nnodes)";
        if (lower.contains("in use"))
            return "port " + r.masterPort() + " is already in use on " + r.masterAddr()
                    + " (another run?); choose another with --master ADDR:PORT or MASTER_PORT";
        if (lower.contains("waiting for clients"))
            return "rendezvous at " + at + " timed out after " + timeout.toSeconds()
                    + " s (WALRUS_DIST_RENDEZVOUS_TIMEOUT) waiting for all " + r.worldSize() + " ranks ["
                    + message.replaceFirst(".*?(\\d+)/(\\d+) clients joined.*", "$1 of $2 joined") + "]";
        if (lower.contains("timed out") || lower.contains("timeout"))
            return "no rank 0 answered at " + at + " within " + timeout.toSeconds()
                    + " s (WALRUS_DIST_RENDEZVOUS_TIMEOUT) [" + message + "]";
        return "cannot join the ranks at " + at + ": " + message;
    }

    /** The address Gloo listens on: loopback for a run on one machine, else this host's name (or WALRUS_DIST_HOST). */
    private static String localHost(Rendezvous r, Map<String, String> env) {
        String override = env.get("WALRUS_DIST_HOST");
        if (override != null && !override.isBlank()) return override.trim();
        if (r.masterAddr().equals("127.0.0.1") || r.masterAddr().equals("localhost")) return "127.0.0.1";
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new UserError("cannot find this machine's host name for the other ranks to reach it; set WALRUS_DIST_HOST");
        }
    }

    private static Duration seconds(Map<String, String> env, String name, long fallback) {
        return Duration.ofMillis((long) (positive(env, name, fallback, "seconds") * 1000));
    }

    private static long bucketBytes(Map<String, String> env) {
        return (long) (positive(env, "WALRUS_DIST_BUCKET_MB", BUCKET_BYTES >> 20, "megabytes") * (1 << 20));
    }

    private static double positive(Map<String, String> env, String name, double fallback, String unit) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            double x = Double.parseDouble(v.trim());
            if (!(x > 0)) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw new UserError(name + "='" + v + "' is not a positive number of " + unit);
        }
    }

    @Override
    public void close() {
        for (ProcessGroup g : subgroups) g.close();
        if (overlap != null) overlap.close();
        if (group != null) group.close();
    }
}
