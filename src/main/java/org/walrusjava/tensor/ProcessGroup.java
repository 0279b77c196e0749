package org.walrusjava.tensor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.ReduceOptions;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

/**
 * Processes that exchange tensors through libtorch's c10d: a TCPStore served by rank 0 for the rendezvous, and Gloo
 * (TCP, CPU tensors) or NCCL (CUDA tensors; the GPU build only, and never yet run) for the collectives. This is the
 * only class that touches the c10d bindings.
 *
 * <p>The bytedeco bindings crash the JVM when a process group is built from a backend name alone, so both are built
 * only through their (store, rank, size, options) constructors, Gloo with the network device named explicitly.
 *
 * <p>Every failure of c10d (a peer that closed its connection, a timeout, a port in use) surfaces as a
 * {@link Failure} carrying the first line of libtorch's message; the caller names the rank and what it was doing.
 */
public final class ProcessGroup implements AutoCloseable {
    /** How tensors are combined element-wise. */
    public enum Reduction {
        SUM(ReduceOp.RedOpType.SUM), MIN(ReduceOp.RedOpType.MIN), MAX(ReduceOp.RedOpType.MAX);

        final ReduceOp.RedOpType op;

        Reduction(ReduceOp.RedOpType op) {
            this.op = op;
        }
    }

    /** A collective or the rendezvous failed; the message is libtorch's first line. */
    public static final class Failure extends RuntimeException {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The root of a bucket whose sums every rank receives. */
    public static final int ALL = -1;

    /** Builds this group's kind of backend (Gloo or NCCL, with its options) over a store, for a rank of a size. */
    private interface Connector {
        Backend connect(Store store, int rank, int size);
    }

    /** The rendezvous store for the whole world; a subgroup's is a prefixed view of it. */
    private final Store store;
    private final Connector connector;
    private final Backend backend;
    /** Where the backend's collectives take their tensors; others are copied there and back. */
    private final Device device;
    private final int rank;
    private final int size;

    private ProcessGroup(Store store, Connector connector, Device device, int rank, int size) {
        this.store = store;
        this.connector = connector;
        this.backend = connector.connect(store, rank, size);
        this.device = device;
        this.rank = rank;
        this.size = size;
    }

    /**
     * Joins (rank 0: serves) the store at host:port, waits for all {@code size} ranks, checks that all were given the
     * same size, then connects Gloo over the interface that {@code localHost} resolves to.
     *
     * @param rendezvous how long to wait for every rank to reach the store
     * @param collectives how long one collective may wait for its peers before it fails
     */
    public static ProcessGroup gloo(String host, int port, String localHost, int rank, int size, Duration rendezvous,
            Duration collectives) {
        return join(host, port, rank, size, rendezvous, store -> new ProcessGroup(store, (s, r, n) -> {
            ProcessGroupGloo.Options options = ProcessGroupGloo.Options.create(new Milliseconds(collectives.toMillis()));
            options.devices(new GlooDeviceVector(ProcessGroupGloo.createDeviceForHostname(localHost)));
            return new ProcessGroupGloo(s, r, n, options);
        }, Device.CPU, rank, size));
    }

    /**
     * As {@link #gloo}, with NCCL between the ranks' CUDA devices, this rank's being {@code device}. Only where
     * {@link #ncclBuilt()}: the CPU build names the NCCL classes but cannot load them.
     */
    public static ProcessGroup nccl(String host, int port, Device device, int rank, int size, Duration rendezvous,
            Duration collectives) {
        return join(host, port, rank, size, rendezvous, store -> Nccl.group(store, device, rank, size, collectives));
    }

    /** Whether this build's libtorch has NCCL: only the GPU build ships the CUDA presets that its classes need. */
    public static boolean ncclBuilt() {
        try {
            Class.forName("org.bytedeco.cuda.presets.nccl", false, ProcessGroup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Apart, so that nothing loads the NCCL classes before {@link #ncclBuilt()} has been asked. */
    private static final class Nccl {
        static ProcessGroup group(TCPStore store, Device device, int rank, int size, Duration collectives) {
            return new ProcessGroup(store, (s, r, n) -> {
                ProcessGroupNCCL.Options options = ProcessGroupNCCL.Options.create();
                options.timeout(new Milliseconds(collectives.toMillis()));
                return new ProcessGroupNCCL(s, r, n, options);
            }, device, rank, size);
        }
    }

    /**
     * Joins (rank 0: serves) the store at host:port, waits for all {@code size} ranks, checks that all were given the
     * same size, then connects the backend that {@code connect} builds on the store.
     */
    private static ProcessGroup join(String host, int port, int rank, int size, Duration rendezvous,
            Function<TCPStore, ProcessGroup> connect) {
        NativeRuntime.init();
        TCPStore store = null;
        try {
            TCPStoreOptions o = new TCPStoreOptions();
            o.port((short) port);
            o.isServer(rank == 0);
            o.numWorkers(new SizeTPointer(1).put(size));
            o.waitWorkers(true);
            o.timeout(new Milliseconds(rendezvous.toMillis()));
            store = new TCPStore(host, o);
            agreeOnSize(store, rank, size);
            return connect.apply(store);
        } catch (RuntimeException | LinkageError e) {
            if (store != null) store.close();
            throw failure(e);
        }
    }

    /**
     * Rank 0 publishes its size and compares every other rank's; the others compare theirs with rank 0's. Done before
     * Gloo connects, which would otherwise wait for ranks that will never come.
     */
    private static void agreeOnSize(TCPStore store, int rank, int size) {
        if (rank == 0) {
            set(store, "walrus/world_size", String.valueOf(size));
            for (int r = 1; r < size; r++) {
                String theirs = get(store, "walrus/world_size/" + r);
                if (!theirs.equals(String.valueOf(size))) throw mismatch(0, size, r, theirs);
            }
        } else {
            set(store, "walrus/world_size/" + rank, String.valueOf(size));
            String leaders = get(store, "walrus/world_size");
            if (!leaders.equals(String.valueOf(size))) throw mismatch(rank, size, 0, leaders);
        }
    }

    private static RuntimeException mismatch(int rank, int size, int other, String theirs) {
        return new RuntimeException("world-size mismatch: rank " + rank + " was started with " + size + " ranks, rank "
                + other + " with " + theirs);
    }

    /**
     * A group of some of this group's ranks ({@code members}, by their rank here, this one among them), numbered in
     * the order given, with this group's backend and timeouts. Only the members build it, and they must give it the
     * same {@code name}, one no other subgroup of the run uses: its connections are set up under that name in the
     * store, so groups that others build meanwhile do not wait for this rank.
     */
    public ProcessGroup subgroup(String name, int[] members) {
        int index = java.util.stream.IntStream.range(0, members.length).filter(i -> members[i] == rank).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("rank " + rank + " is not in subgroup " + name));
        // The bindings hand a store made in Java to C++ as a new reference-counted object, which libtorch refuses for
        // one that a backend already holds, as it holds the world's store: the prefix wraps a clone (another
        // connection to the same server), which C++ returns already counted. The backend then takes the prefixed
        // store into its own count and frees it with itself, so Java must never free it.
        Store connection = store.clone();
        PrefixStore prefixed = new PrefixStore("walrus/" + name, connection);
        connection.close();
        prefixed.deallocate(false);
        try {
            return new ProcessGroup(prefixed, connector, device, index, members.length);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** Combines {@code t} (contiguous) across the group in place. */
    public void allReduce(Tensor t, Reduction reduction) {
        AllreduceOptions o = new AllreduceOptions();
        o.reduceOp(new ReduceOp(reduction.op));
        collective(t, tensors -> backend.allreduce(tensors, o));
    }

    /** Overwrites {@code t} (contiguous) with rank {@code root}'s. */
    public void broadcast(Tensor t, int root) {
        BroadcastOptions o = new BroadcastOptions();
        o.rootRank(root);
        collective(t, tensors -> backend.broadcast(tensors, o));
    }

    /**
     * Sums the gradients of {@code leaves} across the group, {@code bucketBytes} at a time (one collective per bucket
     * of gradients, flattened into one buffer). With {@code owners} null every rank ends with every sum (all-reduce).
     * Otherwise leaf i's sum reaches rank owners[i] alone (a reduce per bucket of one owner's leaves) and the other
     * ranks drop their gradient of it once sent, so each rank keeps only the gradients it will apply. A leaf that has
     * a gradient on some rank only gets one of zeros on the others first, and one that has none anywhere keeps none,
     * so the sums are those of one process that ran all the ranks' micro-batches.
     */
    public void sumGradients(List<Tensor> leaves, long bucketBytes, int[] owners) {
        try (NativeScope scope = NativeScope.open()) {
            float[] defined = new float[leaves.size()];
            for (int i = 0; i < defined.length; i++) defined[i] = leaves.get(i).t.grad().defined() ? 1 : 0;
            Tensor anywhere = Tensor.of(defined, defined.length);
            allReduce(anywhere, Reduction.MAX);
            float[] any = anywhere.toFloatArray();
            // every rank walks the owners in the same order, so that all issue the same collectives
            int[] roots = owners == null ? new int[] {ALL} : java.util.stream.IntStream.range(0, size).toArray();
            for (int root : roots) {
                List<Tensor> bucket = new ArrayList<>();
                long bytes = 0;
                for (int i = 0; i < leaves.size(); i++) {
                    if (any[i] == 0 || (owners != null && owners[i] != root)) continue;
                    org.bytedeco.pytorch.Tensor leaf = leaves.get(i).t;
                    leaves.get(i).zeroGradIfNone();
                    bucket.add(leaves.get(i));
                    bytes += leaf.numel() * leaf.element_size();
                    if (bytes >= bucketBytes) {
                        sumBucket(bucket, root);
                        bucket.clear();
                        bytes = 0;
                    }
                }
                if (!bucket.isEmpty()) sumBucket(bucket, root);
            }
        }
    }

    private void sumBucket(List<Tensor> leaves, int root) {
        startGradientSum(leaves, root).finish();
    }

    /**
     * A bucket of gradients being summed over the group: a flattened copy of them, summed in place on the backend's
     * own threads while the caller goes on, until {@link #finish}.
     */
    public final class GradientBucket {
        private final List<Tensor> leaves;
        private final Tensor buffer;
        private final Work work;
        private final int root;

        private GradientBucket(List<Tensor> leaves, Tensor buffer, Work work, int root) {
            this.leaves = List.copyOf(leaves);
            this.buffer = buffer;
            // held past the caller's scope until the collective is awaited
            this.work = work.retainReference();
            this.root = root;
        }

        /** Waits for the sum and puts it into the gradients, or, on a rank the sum does not reach, drops them. */
        public void finish() {
            try {
                run(work::_wait);
            } finally {
                work.releaseReference();
            }
            try (NativeScope scope = NativeScope.open()) {
                long offset = 0;
                for (Tensor leaf : leaves) {
                    long n = leaf.numel();
                    if (root == ALL || root == rank) {
                        org.bytedeco.pytorch.Tensor g = leaf.t.mutable_grad();
                        g.copy_(buffer.t.narrow(0, offset, n).view(g.sizes()));
                    } else {
                        leaf.clearGrad();
                    }
                    offset += n;
                }
            } finally {
                buffer.close();
            }
        }
    }

    /**
     * Starts summing the gradients of {@code leaves} (each has one, on the backend's device) over the group onto rank
     * {@code root}, or onto every rank for {@link #ALL}, and returns at once. Every rank must start the same buckets in
     * the same order.
     */
    public GradientBucket startGradientSum(List<Tensor> leaves, int root) {
        try (NativeScope scope = NativeScope.open()) {
            List<Tensor> flat = new ArrayList<>();
            for (Tensor leaf : leaves) flat.add(new Tensor(leaf.t.grad().reshape(-1)));
            Tensor buffer = Tensor.cat(flat, 0).owned();
            if (!buffer.device().equals(device))
                throw new IllegalArgumentException("gradients on " + buffer.device() + " for a group on " + device);
            Work[] started = new Work[1];
            if (root == ALL) {
                AllreduceOptions o = new AllreduceOptions();
                o.reduceOp(new ReduceOp(Reduction.SUM.op));
                run(() -> started[0] = backend.allreduce(new TensorVector(buffer.t), o));
            } else {
                ReduceOptions o = new ReduceOptions();
                o.rootRank(root);
                o.reduceOp(new ReduceOp(Reduction.SUM.op));
                run(() -> started[0] = backend.reduce(new TensorVector(buffer.t), o));
            }
            return new GradientBucket(leaves, buffer, started[0], root);
        }
    }

    /** Runs one collective on {@code t}, through a copy on the backend's device when it lives elsewhere. */
    private void collective(Tensor t, Function<TensorVector, Work> call) {
        Tensor there = t.device().equals(device) ? t : t.to(device);
        run(() -> call.apply(new TensorVector(there.t))._wait());
        if (there != t) t.copy_(there);
    }

    private static void set(TCPStore store, String key, String value) {
        store.set(key, new ByteVector(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String get(TCPStore store, String key) {
        ByteVector v = store.get(key);
        byte[] b = new byte[(int) v.size()];
        for (int i = 0; i < b.length; i++) b[i] = v.get(i);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void run(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    private static Failure failure(Throwable e) {
        // a class that failed to initialize (NCCL's, without its native library) says why only in its cause
        Throwable told = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
        String m = told.getMessage() == null ? told.getClass().getSimpleName()
                : told.getMessage().lines().findFirst().orElse("");
        // Gloo prefixes its messages with the source location: "[.../pair.cc:547] Connection closed by peer"
        return new Failure(m.replaceFirst("^\\[[^\\]]*\\.(cc|cpp|h):\\d+\\]\\s*", ""), e);
    }

    @Override
    public void close() {
        backend.close();
        store.close();
    }
}
