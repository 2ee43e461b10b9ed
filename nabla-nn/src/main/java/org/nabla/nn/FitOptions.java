package org.nabla.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.nn.callbacks.Callback;

/**
 * Settings of {@link Model#fit}: {@code FitOptions.epochs(5).batchSize(32).seed(1).validationData(xv, yv)
 * .callbacks(new EarlyStopping("val_loss", 2))}. Verbosity: 1 (default) shows a progress bar (plain lines when
 * the output is not a terminal), 2 one line per epoch, 0 nothing.
 */
public final class FitOptions {
    /** The defaults, as {@link #defaults()}. */
    public FitOptions() {}

    int epochs = 1;
    int batchSize = 32;
    long seed = 0;
    boolean shuffle = true;
    int verbose = 1;
    int initialEpoch = 0;
    /** Batches made ahead on a background thread; null: 2 for in-memory tensors ({@link Batches}), else 0. */
    Integer prefetch;
    Iterable<Tensor[]> validation;
    Tensor sampleWeight;
    Map<Integer, Double> classWeight;
    final List<Callback> callbacks = new ArrayList<>();

    /** Options training for {@code epochs} epochs, the rest default. */
    public static FitOptions epochs(int epochs) { return new FitOptions().setEpochs(epochs); }

    /** One epoch, batch size 32, shuffled with seed 0, progress bar. */
    public static FitOptions defaults() { return new FitOptions(); }

    /** The number of epochs (positive; throws otherwise). */
    public FitOptions setEpochs(int e) {
        if (e <= 0) throw new IllegalArgumentException("fit: epochs must be positive, got " + e);
        epochs = e;
        return this;
    }

    /** Batch size used when fitting tensors (ignored for a batch source). */
    public FitOptions batchSize(int b) {
        if (b <= 0) throw new IllegalArgumentException("fit: batch size must be positive, got " + b);
        batchSize = b;
        return this;
    }

    /** Shuffle seed used when fitting tensors. */
    public FitOptions seed(long s) { seed = s; return this; }

    /** Whether to shuffle tensors every epoch (default true). */
    public FitOptions shuffle(boolean s) { shuffle = s; return this; }

    /** 0 silent, 1 a progress bar (default), 2 one line per epoch. */
    public FitOptions verbose(int v) { verbose = v; return this; }

    /**
     * The epoch to start at (Keras' initial_epoch), for resuming: training runs epochs initialEpoch..epochs-1, and
     * the shuffling of {@code fit(x, y, ...)} continues with that epoch's order.
     */
    public FitOptions initialEpoch(int e) {
        if (e < 0) throw new IllegalArgumentException("fit: initialEpoch must be >= 0, got " + e);
        initialEpoch = e;
        return this;
    }

    /**
     * How many training batches {@link Model#fit} makes ahead on a background thread while the step runs (0: on the
     * calling thread, between steps). The default is 2 when fitting in-memory tensors or {@link Batches}, whose
     * slicing, copying and shuffling then overlap the step, and 0 for other batch sources, which may not expect to
     * be iterated on another thread (a {@code Dataset} has its own {@code prefetch}). The batches and their order
     * are the same either way, so training gives the same weights and history.
     */
    public FitOptions prefetch(int batches) {
        if (batches < 0) throw new IllegalArgumentException("fit: prefetch must be >= 0, got " + batches);
        prefetch = batches;
        return this;
    }

    /** The prefetch depth for {@code train}. */
    int prefetchFor(Iterable<Tensor[]> train) {
        return prefetch != null ? prefetch : train instanceof Batches ? 2 : 0;
    }

    /** Validation batches evaluated after each epoch ("val_" metrics). */
    public FitOptions validationData(Iterable<Tensor[]> batches) { validation = batches; return this; }

    /** Validation tensors (batched with the fit batch size). */
    public FitOptions validationData(Tensor x, Tensor y) {
        validation = new LazyBatches(x, y, this, null);
        return this;
    }

    /**
     * Per-example weights [N] for {@code fit(x, y, ...)} (Keras' {@code sample_weight}): each example's loss is
     * multiplied by its weight before the mean over the batch, and weighted metrics are weighted by it. For a
     * sequence output (per-step losses [N, T]) the weights may be temporal, [N, T]: each step's loss weighted, as in
     * Keras. Batch sources give weights as a last tensor of each batch instead ({x..., y..., w}).
     */
    public FitOptions sampleWeight(Tensor w) {
        if (w != null && w.shape().rank() != 1 && w.shape().rank() != 2) {
            throw new IllegalArgumentException("fit: sample weights must be [N] or [N, T] (temporal), got "
                    + w.shape());
        }
        sampleWeight = w;
        return this;
    }

    /**
     * Weights by class (Keras' {@code class_weight}): each example weighs its class's weight (1 for classes not
     * listed); the class is the target's index, or the argmax of a one-hot target. Not together with
     * {@link #sampleWeight}; single-output models only.
     */
    public FitOptions classWeight(Map<Integer, Double> weights) {
        classWeight = weights == null ? null : Map.copyOf(weights);
        return this;
    }

    /** Validation tensors with per-example weights (batched with the fit batch size). */
    public FitOptions validationData(Tensor x, Tensor y, Tensor sampleWeight) {
        validation = new LazyBatches(x, y, this, sampleWeight);
        return this;
    }

    /** Adds callbacks, called in the order given. */
    public FitOptions callbacks(Callback... cbs) {
        callbacks.addAll(List.of(cbs));
        return this;
    }

    private record LazyBatches(Tensor x, Tensor y, FitOptions o, Tensor w) implements Iterable<Tensor[]> {
        @Override
        public java.util.Iterator<Tensor[]> iterator() {
            return (w == null ? Batches.of(o.batchSize, x, y) : Batches.of(o.batchSize, x, y, w)).iterator();
        }
    }
}
