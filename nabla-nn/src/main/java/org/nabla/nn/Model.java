package org.nabla.nn;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.ops.TensorSpec;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.callbacks.ProgressBar;
import org.nabla.nn.losses.Loss;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.metrics.Metric;
import org.nabla.nn.metrics.Metrics;
import org.nabla.nn.optimizers.Optimizer;
import org.nabla.nn.saving.SavedModel;
import org.nabla.nn.saving.VariableNames;

/**
 * A trainable model: {@link Sequential} or a functional graph of layers ({@link #functional}). After
 * {@link #compile}, {@link #fit} trains it (each step one traced graph: forward, tape gradients, optimizer update;
 * or eagerly with {@link #runEagerly(boolean)}, same results), {@link #evaluate} and {@link #predict} run it.
 *
 * <p>Determinism: weights are initialized from {@link #seed(long)}; dropout masks are keyed by the seed and the
 * model's step counter (a variable incremented by each training call), so the same seed, data and order give the
 * same training, traced or eager.
 */
public abstract class Model {
    private String name;
    private long seed = 42;
    private Variable stepCounter;
    private Optimizer optimizer;
    private List<Loss> losses;
    private List<Metric> metrics = List.of();
    private List<Metric> weightedMetrics = List.of();
    private boolean runEagerly;
    private DataParallel dataParallel;
    private ParameterStrategy parameterStrategy;
    private volatile boolean stopTraining;
    private TracedFunction trainFunction;
    private TracedFunction evalFunction;
    private TracedFunction predictFunction;

    protected Model(String name) { this.name = name; }

    // ---------------------------------------------------------------- structure

    /** The model's name (in summaries and saved models). */
    public String name() { return name; }

    /** Sets the name; returns this model. */
    public Model name(String n) { name = n; return this; }

    /** The layers, in call order. */
    public abstract List<Layer> layers();

    /** The number of inputs {@code call} takes. */
    public abstract int numInputs();

    /** The number of outputs {@code call} returns. */
    public abstract int numOutputs();

    /** Whether every layer has its weights. */
    public abstract boolean isBuilt();

    /** Builds the model for examples of these shapes (without the batch dim), one per input. */
    public abstract void build(int[]... exampleShapes);

    /**
     * The forward pass: the outputs and the padding mask each carries out of the last layer (null where none), as
     * Keras' {@code _keras_mask} on a model's outputs; {@code fit} and {@code evaluate} weight the losses and mean
     * metrics by it.
     */
    protected abstract Outputs forward(Tensor[] inputs, CallContext ctx);

    /**
     * A forward pass's outputs and their masks (a bool [N, T] per output, or null).
     *
     * @param values the outputs
     * @param masks  one mask per output, null entries where an output has none
     */
    protected record Outputs(Tensor[] values, Tensor[] masks) {
        /** Checks that there is one mask entry per output. */
        public Outputs {
            if (values.length != masks.length) {
                throw new IllegalArgumentException(values.length + " outputs but " + masks.length + " masks");
            }
        }
    }

    /** The output shapes (batch dim -1); the model must be built. */
    public abstract List<Shape> outputShapes();

    /**
     * The seed of weight initialization and dropout. Set it before a Sequential model is built; a functional model
     * (whose layers are built when applied) re-draws its weights from it.
     */
    public Model seed(long s) {
        if (isBuilt() && !reseedsWhenBuilt()) {
            throw new IllegalStateException("model " + name + " is built; set the seed before");
        }
        seed = s;
        if (isBuilt()) reseed();
        return this;
    }

    /** Whether {@link #seed(long)} may be called after building (functional models re-draw their weights). */
    boolean reseedsWhenBuilt() { return false; }

    /** Gives every layer a seed derived from the model seed and its position, and re-draws its weights. */
    void reseed() {
        List<Layer> ls = layers();
        for (int i = 0; i < ls.size(); i++) {
            ls.get(i).seed(layerSeed(i));
            ls.get(i).reinitialize();
        }
    }

    private long layerSeed(int index) { return TrainingOps.mix(seed * 0x100000001B3L + index); }

    /** The seed its layers' initializers derive from. */
    public long seed() { return seed; }

    /** Gives the layers unique names and seeds derived from the model seed (called before building). */
    protected void prepareLayers(List<Layer> layers) {
        Map<String, Integer> used = new LinkedHashMap<>();
        for (Layer l : layers) if (l.hasName()) used.merge(l.name(), 1, Integer::sum);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (!l.hasName()) {
                String base = l.defaultBaseName();
                int k = used.getOrDefault(base, 0);
                String n = k == 0 ? base : base + "_" + k;
                while (used.containsKey(n)) n = base + "_" + (++k);
                used.put(base, k + 1);
                used.put(n, 1);
                l.name(n);
            }
            if (!l.isBuilt()) l.seed(layerSeed(i));
        }
    }

    /** The counter keying dropout masks (an int64 variable; incremented by each training-mode call). */
    public Variable stepCounter() {
        if (stepCounter == null) stepCounter = Variable.of(name + "/step", Tensors.scalar(0L), false);
        return stepCounter;
    }

    // ---------------------------------------------------------------- weights

    /** All weights of all layers, in layer order. */
    public List<Variable> weights() {
        List<Variable> all = new ArrayList<>();
        for (Layer l : layers()) all.addAll(l.weights());
        return all;
    }

    /** The weights an optimizer updates. */
    public List<Variable> trainableWeights() { return weights().stream().filter(Variable::trainable).toList(); }

    /** The weights training leaves to the layers (e.g. batch-norm moving statistics). */
    public List<Variable> nonTrainableWeights() { return weights().stream().filter(v -> !v.trainable()).toList(); }

    /** The current values of {@link #weights()}. */
    /**
     * The weights keyed by stable names ("dense/kernel": layer and weight, without the suffix that made the variable
     * unique in this process), the keys checkpoints and saved models use; the same in every process that builds the
     * same model.
     */
    public Map<String, Variable> variablesByName() {
        Map<String, Variable> out = new LinkedHashMap<>();
        java.util.Set<Variable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Layer l : layers()) {
            for (Variable v : l.weights()) {
                if (!seen.add(v)) continue;   // a layer used twice shares its weights
                String key = VariableNames.stable(v.name());
                // A layer of a functional model builds its weights when applied, before the model names it: its
                // weights then carry the default name ("dense/kernel" of the second Dense too), so the key is
                // prefixed with the layer's name in the model ("dense_1/dense/kernel"), unique and the same in
                // every process that builds the model the same way.
                if (!key.startsWith(l.name() + "/")) key = l.name() + "/" + key;
                putUnique(out, key, v);
            }
        }
        return out;
    }

    private void putUnique(Map<String, Variable> out, String key, Variable v) {
        if (out.put(key, v) != null) {
            throw new IllegalStateException("model " + name + ": two weights named " + key + " (give the layers "
                    + "distinct names)");
        }
    }

    /** The shapes of the model's inputs with the batch dimension unknown (-1); the model must be built. */
    public abstract List<Shape> inputShapes();

    /**
     * Saves the model for inference as a saved model (docs/saved-model.md): the traced prediction graph ({@code call}
     * in inference mode, any batch size), the weights under {@link #variablesByName()}, inputs named
     * {@code input_0, ...} and outputs {@code output_0, ...}; written atomically. The model must be built (called,
     * fitted or {@code build(...)}). {@link #load(Path)} reads it back without the model's classes.
     */
    public void save(Path dir) throws IOException {
        if (!isBuilt()) {
            throw new IllegalStateException("model " + name + " is not built: call, fit or build it before save");
        }
        List<Shape> shapes = inputShapes();
        List<DType> dtypes = inputDTypes();
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) specs.add(TensorSpec.of(dtypes.get(i), shapes.get(i)));
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        for (int i = 0; i < numInputs(); i++) inputs.add("input_" + i);
        for (int i = 0; i < numOutputs(); i++) outputs.add("output_" + i);
        SavedModel.save(dir, in -> call(in, false), specs, inputs, outputs, variablesByName());
    }

    /** The dtype of each input (the first layer's input dtype; a functional model asks each input's first reader). */
    List<DType> inputDTypes() {
        DType dtype = layers().isEmpty() ? DType.FLOAT32 : layers().getFirst().inputDType();
        return java.util.Collections.nCopies(numInputs(), dtype);
    }

    /** Loads a saved model written by {@link #save(Path)} (or {@link SavedModel#save}) for prediction. */
    public static SavedModel load(Path dir) throws IOException { return SavedModel.load(dir); }

    /** The current values of {@link #weights()}, in the same order. */
    public List<Tensor> getWeights() { return weights().stream().map(Variable::read).toList(); }

    /** Assigns every weight (same order, dtypes and shapes as {@link #weights()}). */
    public void setWeights(List<Tensor> values) {
        List<Variable> ws = weights();
        if (values.size() != ws.size()) {
            throw new IllegalArgumentException("model " + name + " has " + ws.size() + " weights, got " + values.size()
                    + " values");
        }
        for (int i = 0; i < ws.size(); i++) {
            Tensor v = values.get(i);
            if (!v.shape().equals(ws.get(i).shape()) || v.dtype() != ws.get(i).dtype()) {
                throw new IllegalArgumentException("weight " + i + " (" + ws.get(i) + ") cannot take " + v.spec());
            }
        }
        for (int i = 0; i < ws.size(); i++) ws.get(i).assign(values.get(i));
    }

    /**
     * Everything training changes, in a stable order for checkpoints: {@link #weights()}, the
     * {@link #stepCounter()}, then (when compiled) the optimizer's variables, its slots created now if needed.
     * Restoring these and resuming with {@link FitOptions#initialEpoch} continues training exactly.
     */
    public List<Variable> trainingState() {
        List<Variable> all = new ArrayList<>(weights());
        all.add(stepCounter());
        if (optimizer != null) {
            optimizer.build(trainableWeights());
            all.addAll(optimizer.variables());
        }
        return all;
    }

    /** The number of weight elements, trainable or not. */
    public long paramCount() { return layers().stream().mapToLong(Layer::paramCount).sum(); }

    // ---------------------------------------------------------------- calling

    /** Runs the model in inference mode. */
    public Tensor call(Tensor x) { return call(new Tensor[] {x}, false)[0]; }

    /**
     * Runs the model. In training mode dropout is active, batch norm uses batch statistics and updates its moving
     * averages, and the step counter advances (so the next call draws new dropout masks). Works eagerly, under a
     * {@link GradientTape} (custom training loops) and inside traced functions.
     */
    public Tensor[] call(Tensor[] xs, boolean training) { return callMasked(xs, training).values(); }

    /** {@link #call(Tensor[], boolean)} with the outputs' masks. */
    private Outputs callMasked(Tensor[] xs, boolean training) {
        if (xs.length != numInputs()) {
            throw new IllegalArgumentException("model " + name + " takes " + numInputs() + " inputs, got " + xs.length);
        }
        ensureBuilt(xs);
        if (!training) return forward(xs, CallContext.INFERENCE);
        Variable counter = stepCounter();
        Outputs out = forward(xs, CallContext.training(counter.read(), seed));
        counter.assignAdd(Tensors.scalar(1L));
        return out;
    }

    private void ensureBuilt(Tensor[] xs) {
        if (isBuilt()) return;
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            int[] d = xs[i].shape().dims();
            shapes[i] = Arrays.copyOfRange(d, 1, d.length);
        }
        build(shapes);
    }

    // ---------------------------------------------------------------- compile

    /** Sets the optimizer, one loss for every output, and metrics by name ("accuracy"...). */
    public Model compile(Optimizer optimizer, Loss loss, String... metricNames) {
        List<Metric> ms = new ArrayList<>();
        for (String m : metricNames) ms.add(Metrics.get(m, loss));
        return compile(optimizer, List.of(loss), ms);
    }

    /**
     * Metrics and weighted metrics by name (Keras' {@code compile(metrics=..., weighted_metrics=...)}): the weighted
     * ones use the sample or class weights of {@code fit} and {@code evaluate}.
     */
    public Model compile(Optimizer optimizer, Loss loss, List<String> metricNames, List<String> weightedMetricNames) {
        List<Metric> ms = new ArrayList<>(), wms = new ArrayList<>();
        for (String m : metricNames) ms.add(Metrics.get(m, loss));
        for (String m : weightedMetricNames) wms.add(Metrics.get(m, loss));
        return compile(optimizer, List.of(loss), ms, wms);
    }

    /** Loss by name ("sparse_categorical_crossentropy"...). */
    public Model compile(Optimizer optimizer, String loss, String... metricNames) {
        return compile(optimizer, Losses.get(loss), metricNames);
    }

    /** One loss per output (or one for all); metrics apply to every output. */
    public Model compile(Optimizer optimizer, List<Loss> losses, List<Metric> metrics) {
        return compile(optimizer, losses, metrics, List.of());
    }

    /**
     * As {@link #compile(Optimizer, List, List)} with Keras' {@code weighted_metrics}: {@code metrics} ignore sample
     * and class weights, {@code weightedMetrics} are weighted by them (a name used by both gets "weighted_" in the
     * logs of the weighted one).
     */
    public Model compile(Optimizer optimizer, List<Loss> losses, List<Metric> metrics, List<Metric> weightedMetrics) {
        if (optimizer == null) throw new IllegalArgumentException("compile: optimizer is null");
        if (losses.isEmpty()) throw new IllegalArgumentException("compile: no loss");
        this.optimizer = optimizer;
        this.losses = List.copyOf(losses);
        this.metrics = List.copyOf(metrics);
        this.weightedMetrics = List.copyOf(weightedMetrics);
        trainFunction = null;
        evalFunction = null;
        return this;
    }

    /** The optimizer given to {@code compile}, or null before. */
    public Optimizer optimizer() { return optimizer; }

    /** Runs training steps eagerly (op by op) instead of as one traced graph; results are the same. */
    public Model runEagerly(boolean eager) { runEagerly = eager; return this; }

    /** Whether training steps run op by op ({@link #runEagerly(boolean)}). */
    public boolean runsEagerly() { return runEagerly; }

    /**
     * Trains as one replica of synchronous data-parallel training (null: alone): each training step takes this
     * replica's shard of the batch and applies the gradients reduced over all replicas, so every replica makes the
     * update one process would make on the whole batch. The steps are traced as without a strategy when it
     * {@linkplain DataParallel#reducesSymbolically reduces symbolically} (the reduction is then an op of the step's
     * graph), else run eagerly. The batch is sharded before the step, so each replica traces its shard's shapes. The
     * losses and metrics a step reports are this replica's shard's.
     */
    public Model distribute(DataParallel strategy) { dataParallel = strategy; return this; }

    /**
     * Trains as one replica of parameter-server training (null: alone): each training step takes this replica's
     * shard of the batch, pulls the trainable weights' current values, and pushes the gradients to where the weights
     * live instead of updating them here; the local optimizer only counts the steps (for its learning-rate schedule).
     * After each epoch the weights are pulled once more, so validation, callbacks and the caller see the trained
     * values. The steps run eagerly. Non-trainable weights (batch-norm statistics) stay local.
     */
    public Model distribute(ParameterStrategy strategy) { parameterStrategy = strategy; return this; }

    /**
     * Asks {@link #fit} to stop: after the current batch when called from a batch callback (TerminateOnNaN), after
     * the current epoch when called at the epoch's end (EarlyStopping), as Keras 3's fit loop does.
     */
    public void stopTraining() { stopTraining = true; }

    private void requireCompiled(String what) {
        if (optimizer == null || losses == null) {
            throw new IllegalStateException(what + ": model " + name
                    + " is not compiled; call compile(optimizer, loss, metrics...) first");
        }
    }

    private Loss lossOf(int output) {
        if (losses.size() == 1) return losses.get(0);
        if (losses.size() != numOutputs()) {
            throw new IllegalStateException("model " + name + " has " + numOutputs() + " outputs but " + losses.size()
                    + " losses");
        }
        return losses.get(output);
    }

    /**
     * The names of the values a step reports: "loss", then each metric (prefixed by output when several; weighted
     * metrics after the others). A metric with several values (one per threshold or class) is logged as
     * {@code name_0, name_1...}.
     */
    public List<String> metricNames() {
        List<String> names = new ArrayList<>();
        names.add("loss");
        names.addAll(metricLogNames());
        return names;
    }

    /** The log name of each (output, metric) pair, in step order. */
    private List<String> metricLogNames() {
        List<String> names = new ArrayList<>();
        java.util.Set<String> plain = new java.util.HashSet<>();
        for (Metric m : metrics) plain.add(m.name());
        for (int o = 0; o < numOutputs(); o++) {
            String prefix = numOutputs() == 1 ? "" : "output_" + o + "_";
            for (Metric m : metrics) names.add(prefix + m.name());
            for (Metric m : weightedMetrics) names.add(prefix + (plain.contains(m.name()) ? "weighted_" : "") + m.name());
        }
        // two metrics of one name (a ROC and a PR AUC) are logged as name, name_1, ...
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            int k = seen.merge(names.get(i), 1, Integer::sum);
            if (k > 1) names.set(i, names.get(i) + "_" + (k - 1));
        }
        return names;
    }

    /** The metric of each (output, metric) pair, in step order. */
    private List<Metric> stepMetrics() {
        List<Metric> all = new ArrayList<>();
        for (int o = 0; o < numOutputs(); o++) {
            all.addAll(metrics);
            all.addAll(weightedMetrics);
        }
        return all;
    }

    private MetricSums newSums() { return new MetricSums(metricLogNames(), stepMetrics()); }

    // ---------------------------------------------------------------- steps

    /**
     * One training step on a batch {x..., y...[, w]}: returns {loss, each metric's statistics...} (eager or traced by
     * the caller).
     */
    protected Tensor[] trainStep(Tensor[] batch) {
        Tensor[] xs = Arrays.copyOfRange(batch, 0, numInputs());
        Tensor[] ys = Arrays.copyOfRange(batch, numInputs(), numInputs() + numOutputs());
        Tensor sw = sampleWeightOf(batch);
        List<Variable> vars = trainableWeights();
        long examples = xs[0].shape().rank() == 0 ? 1 : xs[0].shape().dim(0);
        // eager data-parallel steps may reduce the last layers' gradients while the backward pass goes on
        GradientReduction early = dataParallel == null || xs[0].isSymbolic() ? null
                : dataParallel.reduceAsReady(vars, examples);
        Tensor loss;
        Outputs preds;
        List<Tensor> grads;
        try (GradientTape tape = new GradientTape()) {
            preds = callMasked(xs, true);
            loss = totalLoss(ys, preds, sw);
            Tensor scaled = optimizer.scaleLoss(loss); // the loss itself unless loss scaling (mixed precision)
            grads = early == null ? tape.gradient(scaled, vars) : tape.gradientAsReady(scaled, vars, early::ready);
        }
        if (parameterStrategy != null) {
            parameterStrategy.push(optimizer, grads, vars, examples);
            return results(loss, ys, preds, sw);
        }
        if (early != null) grads = early.finish();
        else if (dataParallel != null) grads = dataParallel.reduceGradients(grads, examples);
        optimizer.applyGradients(grads, vars);
        return results(loss, ys, preds, sw);
    }

    /** One evaluation step: {loss, each metric's statistics...} in inference mode. */
    protected Tensor[] testStep(Tensor[] batch) {
        Tensor[] xs = Arrays.copyOfRange(batch, 0, numInputs());
        Tensor[] ys = Arrays.copyOfRange(batch, numInputs(), numInputs() + numOutputs());
        Tensor sw = sampleWeightOf(batch);
        Outputs preds = callMasked(xs, false);
        return results(totalLoss(ys, preds, sw), ys, preds, sw);
    }

    /** The batch's sample weights (its last tensor, after the targets), or null. */
    private Tensor sampleWeightOf(Tensor[] batch) {
        return batch.length == numInputs() + numOutputs() + 1 ? batch[batch.length - 1] : null;
    }

    /**
     * The sum of the outputs' losses; an output's mask (padding steps of a sequence output) weights its steps out as
     * Keras does ({@link org.nabla.nn.losses.Reduction#reduce(Tensor, Tensor, Tensor)}).
     */
    private Tensor totalLoss(Tensor[] ys, Outputs preds, Tensor sampleWeight) {
        Tensor loss = null;
        for (int o = 0; o < preds.values().length; o++) {
            Tensor l = lossOf(o).call(ys[o], float32(preds.values()[o]), sampleWeight, preds.masks()[o]);
            if (l.shape().rank() > 0) l = Ops.mean(l);   // a loss with reduction NONE: the model reports the mean
            loss = loss == null ? l : Ops.add(loss, l);
        }
        return loss;
    }

    /**
     * {loss, then the statistics of each output's metrics and weighted metrics}. An output's mask weights the mean
     * metrics (accuracy...) as Keras' {@code MeanMetricWrapper} does: masked steps count 0, the others their sample
     * weight (1 for the unweighted metrics); other metrics (precision, AUC...) ignore it, as Keras'.
     */
    private Tensor[] results(Tensor loss, Tensor[] ys, Outputs preds, Tensor sampleWeight) {
        List<Tensor> r = new ArrayList<>();
        r.add(loss);
        for (int o = 0; o < preds.values().length; o++) {
            Tensor p = float32(preds.values()[o]);
            Tensor mask = preds.masks()[o];
            for (Metric m : metrics) r.add(m.statistics(ys[o], p, metricWeight(m, null, mask, p)));
            for (Metric m : weightedMetrics) r.add(m.statistics(ys[o], p, metricWeight(m, sampleWeight, mask, p)));
        }
        return r.toArray(Tensor[]::new);
    }

    /** A mean metric's weights with the output's mask merged in (Keras' {@code apply_mask} with reduction "sum"). */
    private static Tensor metricWeight(Metric m, Tensor sampleWeight, Tensor mask, Tensor pred) {
        if (mask == null || !(m instanceof org.nabla.nn.metrics.MeanMetric)) return sampleWeight;
        return org.nabla.nn.losses.Reduction.SUM.maskedWeights(sampleWeight, mask, pred.dtype());
    }

    /** 16-bit predictions (a mixed-precision model's) widened: losses and metrics are computed in float32, as Keras. */
    private static Tensor float32(Tensor pred) {
        return pred.dtype().isHalfPrecision() ? Ops.cast(pred, DType.FLOAT32) : pred;
    }

    private void checkBatch(Tensor[] batch, boolean withTargets) {
        int want = numInputs() + (withTargets ? numOutputs() : 0);
        if (batch == null || !(batch.length == want || withTargets && batch.length == want + 1)) {
            throw new IllegalArgumentException("model " + name + " needs batches of " + want + " tensors ("
                    + numInputs() + " inputs" + (withTargets ? ", " + numOutputs() + " targets" : "") + "), got "
                    + (batch == null ? "null" : batch.length) + (withTargets ? " (or " + (want + 1) + " with sample "
                    + "weights last)" : ""));
        }
        for (Tensor t : batch) {
            if (t == null) throw new IllegalArgumentException("model " + name + ": a batch holds null");
        }
        for (int i = 0; i < numInputs(); i++) {
            DType d = batch[i].dtype();
            // floating data in a dtype no layer computes in would fail deep inside the first layer (a MatMul of
            // float64 by float32): say so here, naming the input
            if (d.isFloating() && !layers().isEmpty()
                    && layers().stream().noneMatch(l -> l.dtype() == d || l.computeDType() == d)) {
                throw new IllegalArgumentException("model " + name + ": input " + i + " is " + d + " of shape "
                        + batch[i].shape() + ", but the model's layers compute in " + layers().getFirst().dtype()
                        + ": cast the data (Ops.cast(x, DType." + layers().getFirst().dtype().name() + ")) or build "
                        + "the layers with dtype(DType." + d.name() + ")");
            }
        }
    }

    /**
     * The gradients of the compiled loss with respect to every trainable weight on one batch {x..., y...[, sample
     * weights]} (an output's mask weighting its loss as in {@code fit}), keyed by
     * the weights' stable names ({@link #variablesByName}), without updating anything. The forward pass runs in
     * inference mode (dropout off, batch normalization on its moving statistics), so it draws no random numbers and
     * a training run stays reproducible; these are what TensorBoard's gradient histograms show.
     */
    public Map<String, Tensor> gradients(Tensor... batch) {
        requireCompiled("gradients");
        checkBatch(batch, true);
        ensureBuilt(Arrays.copyOf(batch, numInputs()));
        Tensor[] xs = Arrays.copyOfRange(batch, 0, numInputs());
        Tensor[] ys = Arrays.copyOfRange(batch, numInputs(), numInputs() + numOutputs());
        Map<Variable, String> names = new java.util.IdentityHashMap<>();
        variablesByName().forEach((n, v) -> names.put(v, n));
        List<Variable> vars = trainableWeights();
        List<Tensor> grads;
        try (GradientTape tape = new GradientTape()) {
            grads = tape.gradient(totalLoss(ys, callMasked(xs, false), sampleWeightOf(batch)), vars);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < vars.size(); i++) {
            if (grads.get(i) != null) out.put(names.getOrDefault(vars.get(i), vars.get(i).name()), grads.get(i));
        }
        return out;
    }

    /** How many graphs the traced training step has made (one per batch signature). */
    public int trainTraceCount() { return trainFunction == null ? 0 : trainFunction.traceCount(); }

    /**
     * Runs one training step on a batch {x..., y...[, sample weights]} (traced unless run eagerly); returns {loss,
     * metrics...} of this batch alone, in {@link #metricNames()} order.
     */
    public double[] trainOnBatch(Tensor... batch) {
        MetricSums sums = newSums();
        sums.add(trainBatch(batch), examples(batch));
        return sums.logs().values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long examples(Tensor[] batch) { return batch[0].shape().rank() == 0 ? 1 : batch[0].shape().dim(0); }

    /** One training step; returns {loss} and each metric's statistics, on the host. */
    private double[][] trainBatch(Tensor... batch) {
        requireCompiled("trainOnBatch");
        checkBatch(batch, true);
        ensureBuilt(Arrays.copyOf(batch, numInputs()));
        optimizer.refreshLearningRate();
        if (parameterStrategy != null) return parameterServerStep(batch);
        if (runEagerly || (dataParallel != null && !dataParallel.reducesSymbolically())) {
            // The step's intermediates die with it: a scope hands their buffers to the next step (variables keep
            // their new values).
            try (TensorScope scope = TensorScope.open()) {
                return doubles(trainStep(dataParallel == null ? batch : dataParallel.shard(batch)));
            }
        }
        if (trainFunction == null) trainFunction = TracedFunction.of(name + "_train_step", this::trainStep);
        return doubles(trainFunction.call(dataParallel == null ? batch : dataParallel.shard(batch)));
    }

    /** An eager training step of parameter-server training: shard, pull, then the step (which pushes). */
    private double[][] parameterServerStep(Tensor[] batch) {
        if (dataParallel != null) {
            throw new IllegalStateException("model " + name + " is given both a DataParallel and a ParameterStrategy "
                    + "(unset one: distribute((DataParallel) null))");
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] mine = parameterStrategy.shard(batch);
            parameterStrategy.pull(trainableWeights());
            return doubles(trainStep(mine));
        }
    }

    /** A step's results on the host: {loss} first, then each metric's statistics. */
    private static double[][] doubles(Tensor[] r) {
        double[][] v = new double[r.length][];
        for (int i = 0; i < r.length; i++) v[i] = r[i].toDoubleArray();
        return v;
    }

    private double[][] testOnBatch(Tensor[] batch) {
        checkBatch(batch, true);
        ensureBuilt(Arrays.copyOf(batch, numInputs()));
        if (runEagerly) {
            try (TensorScope scope = TensorScope.open()) {
                return doubles(testStep(batch));
            }
        }
        if (evalFunction == null) evalFunction = TracedFunction.of(name + "_test_step", this::testStep);
        return doubles(evalFunction.call(batch));
    }

    // ---------------------------------------------------------------- fit / evaluate / predict

    /** Trains on in-memory tensors, batched by {@code options.batchSize} and shuffled per epoch with its seed. */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        // fit alone sees these batches and is done with each before it takes prefetch + 2 more: their row buffers
        // are reused (no allocation and zeroing of the data's size per epoch)
        if (options.sampleWeight != null && options.classWeight != null) {
            throw new IllegalArgumentException("fit: give classWeight or sampleWeight, not both");
        }
        Batches batches = options.sampleWeight == null
                ? Batches.make(options.batchSize, options.shuffle, options.seed, false, x, y)
                : Batches.make(options.batchSize, options.shuffle, options.seed, false, x, y, options.sampleWeight);
        return fit(batches.startAtEpoch(options.initialEpoch).recycling(options.prefetchFor(batches) + 2), options);
    }

    /** Trains on tensors for {@code epochs} epochs with batches of {@code batchSize}, shuffled with seed 0. */
    public History fit(Tensor x, Tensor y, int batchSize, int epochs) {
        return fit(x, y, FitOptions.epochs(epochs).batchSize(batchSize));
    }

    /**
     * Trains on a batch source: each iteration of {@code train} is one epoch of batches {x..., y...} (inputs then
     * targets). Returns the per-epoch history.
     */
    public History fit(Iterable<Tensor[]> train, FitOptions options) {
        requireCompiled("fit");
        History history = new History();
        // Keras' order: the progress bar, the user's callbacks, then the history (which sees what callbacks added)
        List<Callback> cbs = new ArrayList<>();
        if (options.verbose > 0) {
            cbs.add(new ProgressBar(options.verbose == 1 ? ProgressBar.Mode.AUTO : ProgressBar.Mode.EPOCH_LINES));
        }
        cbs.addAll(options.callbacks);
        cbs.add(history);
        int steps = train instanceof Batches b ? b.batchesPerEpoch() : -1;
        for (Callback c : cbs) {
            c.setModel(this);
            if (c instanceof ProgressBar p) p.setParams(options.epochs, steps);
        }
        stopTraining = false;
        int initialEpoch = options.initialEpoch;
        if (cbs.stream().anyMatch(Callback::restoresState)) {
            // a state is restored into built variables: build the model from the first batch's shapes first
            if (!isBuilt()) {
                Tensor[] first = train instanceof Batches b ? b.firstBatch() : train.iterator().next();
                ensureBuilt(Arrays.copyOf(first, numInputs()));
            }
            for (Callback c : cbs) if (c.restoresState()) initialEpoch = c.restore(initialEpoch);
            if (train instanceof Batches b) b.startAtEpoch(initialEpoch);   // the same data order as before
        }
        for (Callback c : cbs) c.onTrainBegin(new LinkedHashMap<>());
        for (int epoch = initialEpoch; epoch < options.epochs && !stopTraining; epoch++) {
            for (Callback c : cbs) c.onEpochBegin(epoch, new LinkedHashMap<>());
            MetricSums sums = newSums();
            int batchIndex = 0;
            Map<String, Double> logs = new LinkedHashMap<>();
            long start = System.nanoTime();
            Iterator<Tensor[]> source = train.iterator();
            int prefetch = options.prefetchFor(train);
            // the prefetch thread (if any) ends with the epoch, also when a step or a callback fails
            try (BatchPrefetcher ahead = prefetch > 0 ? new BatchPrefetcher(source, prefetch) : null) {
                Iterator<Tensor[]> batches = ahead != null ? ahead : source;
                while (batches.hasNext()) {
                    Tensor[] batch = withClassWeights(batches.next(), options);
                    sums.add(trainBatch(batch), examples(batch));
                    logs = sums.logs();
                    for (Callback c : cbs) c.onBatchEnd(batchIndex, logs);
                    batchIndex++;
                    if (stopTraining) break;
                }
            }
            if (sums.seen() == 0) throw new IllegalArgumentException("fit: the training data gave no batches");
            if (parameterStrategy != null) parameterStrategy.pull(trainableWeights());  // the epoch's last update
            history.recordTiming(sums.seen(), (System.nanoTime() - start) / 1e9);
            Map<String, Double> epochLogs = new LinkedHashMap<>(logs);
            if (options.validation != null) {
                evaluate(options.validation).forEach((k, v) -> epochLogs.put("val_" + k, v));
            }
            for (Callback c : cbs) c.onEpochEnd(epoch, epochLogs);
        }
        // Keras' finalize_variable_values: with an EMA the weights take their moving averages
        if (initialEpoch < options.epochs) optimizer.finalizeVariableValues(trainableWeights());
        for (Callback c : cbs) c.onTrainEnd(new LinkedHashMap<>());
        return history;
    }

    /** Loss and metrics over tensors in batches of 32. */
    public Map<String, Double> evaluate(Tensor x, Tensor y) { return evaluate(x, y, 32); }

    /** Loss and metrics over tensors, batched by {@code batchSize}. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(Batches.of(batchSize, x, y));
    }

    /** Loss and metrics (example-weighted means) over batches {x..., y...}. */
    public Map<String, Double> evaluate(Iterable<Tensor[]> data) {
        requireCompiled("evaluate");
        MetricSums sums = newSums();
        for (Tensor[] batch : data) sums.add(testOnBatch(batch), examples(batch));
        if (sums.seen() == 0) throw new IllegalArgumentException("evaluate: the data gave no batches");
        return sums.logs();
    }

    /**
     * Loss and metrics over tensors with per-example weights {@code sampleWeight} [N] (Keras'
     * {@code evaluate(x, y, sample_weight=...)}: the loss and weighted metrics are weighted).
     */
    public Map<String, Double> evaluate(Tensor x, Tensor y, Tensor sampleWeight, int batchSize) {
        return evaluate(Batches.of(batchSize, x, y, sampleWeight));
    }

    /** The batch with class weights appended as sample weights when {@code options} has them. */
    private Tensor[] withClassWeights(Tensor[] batch, FitOptions options) {
        if (options.classWeight == null) return batch;
        if (numOutputs() != 1) {
            throw new IllegalArgumentException("fit: classWeight is for single-output models (model " + name + " has "
                    + numOutputs() + " outputs); give sample weights instead");
        }
        if (batch.length != numInputs() + 1) {
            throw new IllegalArgumentException("fit: give classWeight or sample weights, not both");
        }
        Tensor[] out = Arrays.copyOf(batch, batch.length + 1);
        out[batch.length] = ClassWeights.sampleWeights(batch[numInputs()], options.classWeight);
        return out;
    }

    /** Predictions for every row of {@code x} (batches of 32), in inference mode; first output. */
    public Tensor predict(Tensor x) { return predict(x, 32); }

    /** Predictions for every row of {@code x} in batches of {@code batchSize}, in inference mode; first output. */
    public Tensor predict(Tensor x, int batchSize) { return predict(Batches.of(batchSize, x))[0]; }

    /** Predictions for batches of inputs {x...}: one tensor per output, the batches concatenated. */
    public Tensor[] predict(Iterable<Tensor[]> inputs) {
        List<List<Tensor>> parts = new ArrayList<>();
        for (Tensor[] batch : inputs) {
            Tensor[] xs = batch.length == numInputs() ? batch : Arrays.copyOf(batch, numInputs());
            checkBatch(xs, false);
            ensureBuilt(xs);
            Tensor[] out;
            if (runEagerly) {
                try (TensorScope scope = TensorScope.open()) {
                    out = call(xs, false);
                    scope.keepAll(Arrays.asList(out));
                }
            } else {
                if (predictFunction == null) predictFunction = TracedFunction.of(name + "_predict", a -> call(a, false));
                out = predictFunction.call(xs);
            }
            if (parts.isEmpty()) for (int i = 0; i < out.length; i++) parts.add(new ArrayList<>());
            for (int i = 0; i < out.length; i++) parts.get(i).add(out[i]);
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("predict: the data gave no batches");
        Tensor[] r = new Tensor[parts.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = parts.get(i).size() == 1 ? parts.get(i).get(0) : Ops.concat(parts.get(i), 0);
        }
        return r;
    }

    // ---------------------------------------------------------------- summary

    /** Rows of the summary: name (type), output shape, params. */
    protected abstract List<String[]> summaryRows();

    /** The Keras-style summary text. */
    public String summary() {
        if (!isBuilt()) {
            throw new IllegalStateException("model " + name + " is not built yet: give it an input shape (Sequential"
                    + ".input(...), or build(...)) or call it on data first");
        }
        String rule = "_".repeat(65);
        String dbl = "=".repeat(65);
        StringBuilder b = new StringBuilder();
        b.append("Model: \"").append(name).append("\"\n").append(rule).append('\n');
        b.append(row("Layer (type)", "Output Shape", "Param #")).append('\n').append(dbl).append('\n');
        List<String[]> rows = summaryRows();
        for (int i = 0; i < rows.size(); i++) {
            b.append(row(rows.get(i)[0], rows.get(i)[1], rows.get(i)[2])).append('\n');
            if (i < rows.size() - 1) b.append('\n');
        }
        long total = paramCount();
        long trainable = trainableWeights().stream().mapToLong(v -> v.shape().size()).sum();
        b.append(dbl).append('\n');
        b.append(String.format("Total params: %,d%n", total).replace(System.lineSeparator(), "\n"));
        b.append(String.format("Trainable params: %,d%n", trainable).replace(System.lineSeparator(), "\n"));
        b.append(String.format("Non-trainable params: %,d%n", total - trainable).replace(System.lineSeparator(), "\n"));
        b.append(rule).append('\n');
        return b.toString();
    }

    /** Prints {@link #summary()}. */
    public void printSummary(PrintStream out) { out.print(summary()); }

    private static String row(String a, String s, String p) {
        String line = pad(" " + a, 29) + pad(s, 26) + p;
        return line.stripTrailing();
    }

    private static String pad(String s, int w) {
        if (s.length() >= w) return s.substring(0, w - 1) + " ";
        return s + " ".repeat(w - s.length());
    }

    /** "(None, 28, 28, 1)". */
    public static String shapeText(Shape s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.rank(); i++) {
            if (i > 0) b.append(", ");
            b.append(s.dim(i) < 0 ? "None" : Integer.toString(s.dim(i)));
        }
        if (s.rank() == 1) b.append(',');
        return b.append(')').toString();
    }

    // ---------------------------------------------------------------- functional

    /** A functional model from symbolic inputs to outputs. */
    public static Model functional(List<LayerOutput> inputs, List<LayerOutput> outputs) {
        return new FunctionalModel("model", inputs, outputs);
    }

    /** A functional model with one input and one output. */
    public static Model functional(LayerOutput input, LayerOutput output) {
        return functional(List.of(input), List.of(output));
    }
}
