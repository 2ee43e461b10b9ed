package org.nabla.distributed.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nabla.Tensor;
import org.nabla.nn.GradientReduction;

/**
 * {@link MultiWorkerMirroredStrategy#reduceAsReady}: an eager step's gradients all-reduced pack by pack while the tape
 * still computes the rest. The packs are those {@link MultiWorkerMirroredStrategy#reduceGradients} makes (the non-null
 * gradients from the last variable down, cut once a pack holds {@code packBytes}): a pack is cut as soon as the
 * gradients from the end down to it are all final, and its all-reduce is queued behind the previous pack's on a
 * shared background thread pool, so the packs run in the same order, with the same instance keys, on every replica.
 *
 * <p>Threading: {@link #ready} and {@link #finish} run on the step's thread; each pack's ops (weighting, all-reduce)
 * run on a pool thread, eagerly, on the gradient tensors handed over (which the step keeps alive until finish).
 */
final class ReductionAsReady implements GradientReduction {
    /** Daemon threads that run packs' all-reduces; a reduction chains its packs, so one runs at a time per step. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r ->
            Thread.ofPlatform().daemon().name("nabla-gradient-reduce").unstarted(r));

    private final MultiWorkerMirroredStrategy strategy;
    private final long examples;
    private final Tensor[] grads;
    private final boolean[] isReady;
    /** The next gradient (counting down from the last) not yet put in a pack. */
    private int cursor;
    private List<Integer> pack = new ArrayList<>();
    private long packBytes;
    private final List<List<Integer>> packs = new ArrayList<>();
    /** Each pack's sums, in pack order; each waits for the one before. */
    private final List<CompletableFuture<List<Tensor>>> sums = new ArrayList<>();

    ReductionAsReady(MultiWorkerMirroredStrategy strategy, int variables, long examples) {
        this.strategy = strategy;
        this.examples = examples;
        this.grads = new Tensor[variables];
        this.isReady = new boolean[variables];
        this.cursor = variables - 1;
    }

    @Override
    public void ready(Tensor grad, int index) {
        if (index < 0 || index >= grads.length) {
            throw new IllegalArgumentException("ready: gradient " + index + " of " + grads.length + " variables");
        }
        if (isReady[index]) throw new IllegalStateException("ready: gradient " + index + " was handed over twice");
        grads[index] = grad;
        isReady[index] = true;
        for (; cursor >= 0 && isReady[cursor]; cursor--) {
            Tensor g = grads[cursor];
            if (g == null) continue;
            pack.add(cursor);
            packBytes += MultiWorkerMirroredStrategy.bytes(g, cursor);
            if (packBytes >= strategy.packBytes()) launch();
        }
    }

    /** Queues the current pack's all-reduce behind the previous one's. */
    private void launch() {
        int p = packs.size();
        List<Tensor> members = new ArrayList<>(pack.size());
        for (int i : pack) members.add(grads[i]);
        packs.add(pack);
        pack = new ArrayList<>();
        packBytes = 0;
        CompletableFuture<?> before = sums.isEmpty() ? CompletableFuture.completedFuture(null) : sums.getLast();
        // a failed pack fails the ones behind it too, without starting their collectives
        sums.add(before.thenApplyAsync(x -> strategy.reducePack(p, members, examples), POOL));
    }

    /** How many packs' all-reduces were queued so far. */
    int launched() { return sums.size(); }

    @Override
    public List<Tensor> finish() {
        for (int i = 0; i < grads.length; i++) {
            if (!isReady[i]) throw new IllegalStateException("finish: gradient " + i + " was never handed over");
        }
        if (!pack.isEmpty()) launch();
        List<List<Tensor>> summed = new ArrayList<>(sums.size());
        try {
            for (CompletableFuture<List<Tensor>> f : sums) summed.add(f.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
        return MultiWorkerMirroredStrategy.divided(grads.length, packs, summed);
    }
}
