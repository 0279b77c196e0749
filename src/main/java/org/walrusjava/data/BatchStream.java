package org.walrusjava.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Batches read ahead by a background thread into a bounded queue, so reading and decompressing overlaps with the
 * model's work. Each batch draws its strides and rotation from its own generator seeded by (seed, batch number),
 * so the stream is the same whatever the thread timing. A reading error surfaces at {@link #next()}.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {
    private record Item(Batch batch, RuntimeException error) {}

    private static final Item END = new Item(null, null);

    private final BlockingQueue<Item> queue;
    private final Thread worker;
    private Item lookahead;

    BatchStream(WellDataset dataset, List<int[]> batches, long seed, int prefetch) {
        queue = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        worker = Thread.ofPlatform().daemon().name("walrus-prefetch-" + dataset.info().datasetName()).start(() -> {
            try {
                for (int b = 0; b < batches.size(); b++) {
                    queue.put(new Item(dataset.batch(batches.get(b), new Random(mix(seed, b))), null));
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                queue.offer(new Item(null, e));
            }
        });
    }

    /** A well-spread seed for batch {@code b} (SplitMix64 finaliser). */
    static long mix(long seed, long b) {
        long z = seed + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean hasNext() {
        if (lookahead == null) {
            try {
                lookahead = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for data", e);
            }
        }
        if (lookahead.error != null) throw lookahead.error;
        return lookahead != END;
    }

    @Override
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        Batch b = lookahead.batch;
        lookahead = null;
        return b;
    }

    /** Stops the reader thread (batches not yet taken are dropped). */
    @Override
    public void close() {
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
