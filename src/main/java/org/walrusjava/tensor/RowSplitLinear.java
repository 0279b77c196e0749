package org.walrusjava.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.global.torch;

/**
 * Large fp32 {@code y = x W^T + b} on the CPU at inference, its rows split across worker threads that each run a
 * single-threaded GEMM.
 *
 * <p>Why: libtorch hands fp32 GEMMs to the bundled OpenBLAS, which {@link NativeRuntime} holds to one thread because
 * its own thread pool spins against libtorch's OpenMP threads. One OpenBLAS thread per core on its own block of
 * rows uses every core with no second pool and no layout reorders. Measured on 2 cores for 6144x1408 by 1408x4224
 * (a full-size Walrus projection at 128x128): 0.80 s on one OpenBLAS thread, 0.50 s through oneDNN on libtorch's
 * pool (its reorders included), 0.41 s split by rows. A row of the output depends only on its own row of x, but not
 * its rounding: OpenBLAS picks its kernel and blocking from the matrix sizes and the CPU, so a block of rows can be
 * summed in another order than the whole matrix (on a Zen 5 CPU the results differ from {@code torch.linear}'s in
 * the last bit or two). What holds on every CPU is fp32 round-off: within 1e-5 of the largest value. Small
 * products, where the hand-off costs more than the second thread gains, and what autocast would cast stay on
 * {@code torch.linear}; products that autograd records take the same split in both directions through
 * {@link RecordedRowSplitLinear}.
 */
final class RowSplitLinear {
    private static final double MIN_MULTIPLY_ADDS = 2e7;
    private static Workers workers;

    private record Workers(ExecutorService pool, int count) {}

    private RowSplitLinear() {}

    static boolean applies(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                           org.bytedeco.pytorch.Tensor b) {
        if (torch.get_num_threads() < 2 || !x.is_cpu() || !w.is_cpu() || x.dim() < 2 || w.dim() != 2) return false;
        if (!isFloat32(x) || !isFloat32(w) || (b != null && !isFloat32(b))) return false;
        if (torch.is_autocast_enabled(torch.DeviceType.CPU)) return false;
        return (double) x.numel() * w.size(0) >= MIN_MULTIPLY_ADDS;
    }

    static boolean isFloat32(org.bytedeco.pytorch.Tensor t) {
        return DType.of(t.scalar_type()) == DType.FLOAT32;
    }

    static org.bytedeco.pytorch.Tensor apply(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w,
                                             org.bytedeco.pytorch.Tensor b) {
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = w.size(0);
        try (org.bytedeco.pytorch.Tensor rows = x.reshape(-1, x.size(-1)).contiguous();
             org.bytedeco.pytorch.Tensor wt = w.t();
             org.bytedeco.pytorch.Tensor y = product(rows, wt, b)) {
            return y.reshape(shape);
        }
    }

    /**
     * {@code left right + bias} for 2-D operands, a new contiguous (rows of left) x (columns of right) matrix, its rows
     * split across the workers. {@code left} may be strided (a transposed view, say): each worker's block of rows goes
     * to OpenBLAS as it is, which reads transposed operands without a copy.
     */
    static org.bytedeco.pytorch.Tensor product(org.bytedeco.pytorch.Tensor left, org.bytedeco.pytorch.Tensor right,
                                               org.bytedeco.pytorch.Tensor bias) {
        Workers team = workers();
        org.bytedeco.pytorch.Tensor y = torch.empty(new long[] {left.size(0), right.size(1)}, left.options(), null);
        long n = left.size(0), per = (n + team.count() - 1) / team.count();
        List<Future<?>> done = new ArrayList<>();
        for (long start = 0; start < n; start += per) {
            long first = start, count = Math.min(per, n - start);
            done.add(team.pool().submit(() -> multiplyRows(left, right, bias, y, first, count)));
        }
        awaitAll(done);
        return y;
    }

    private static void multiplyRows(org.bytedeco.pytorch.Tensor rows, org.bytedeco.pytorch.Tensor wt,
                                     org.bytedeco.pytorch.Tensor b, org.bytedeco.pytorch.Tensor y, long first,
                                     long count) {
        try (PointerScope scope = new PointerScope()) {
            org.bytedeco.pytorch.Tensor xs = rows.narrow(0, first, count), ys = y.narrow(0, first, count);
            if (b == null) torch.mm_out(ys, xs, wt);
            else torch.addmm_out(ys, b, xs, wt);
        }
    }

    private static void awaitAll(List<Future<?>> done) {
        RuntimeException failure = null;
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted during a matrix product", e);
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * One daemon worker per libtorch thread of the calling thread, each with autograd off (grad mode is per thread,
     * and only unrecorded products come here) and libtorch held to one thread of its own, so that nothing inside its
     * GEMM starts a second OpenMP team.
     *
     * <p>libtorch sizes a thread's OpenMP team lazily, from a process-wide default, on the thread's first parallel
     * operation, and {@code set_num_threads} changes that default too. So each worker first lets the lazy sizing
     * happen, then sets its own count to one; once every worker has, the caller's count is set again, which restores
     * the default that threads started later inherit.
     */
    private static synchronized Workers workers() {
        int n = torch.get_num_threads();
        if (workers != null && workers.count() == n) return workers;
        if (workers != null) workers.pool().shutdown();
        ExecutorService pool = Executors.newFixedThreadPool(n, task -> {
            Thread t = new Thread(() -> {
                try (AutoGradMode off = new AutoGradMode(false)) {
                    task.run();
                }
            }, "walrus-gemm");
            t.setDaemon(true);
            return t;
        });
        // Each task holds its thread until all n have run, so every worker takes exactly one.
        CountDownLatch ready = new CountDownLatch(n);
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < n; i++)
            started.add(pool.submit(() -> {
                torch.get_num_threads();
                torch.set_num_threads(1);
                ready.countDown();
                ready.await();
                return null;
            }));
        awaitAll(started);
        torch.set_num_threads(n);
        workers = new Workers(pool, n);
        return workers;
    }

    /** The libtorch thread count each worker runs with (for tests). */
    static int workerThreadCount() {
        try {
            return workers().pool().submit(() -> torch.get_num_threads()).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
