package org.nabla.nn.optimizers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;

/**
 * Base of the optimizers. All state is in {@link Variable}s, so it can be checkpointed: {@link #iterations()} (int64,
 * the number of updates applied), {@link #learningRateVariable()} (float32) and per-weight slots (moments...),
 * created on first use. {@link #applyGradients} works eagerly, under a tape and inside a traced function (slots are
 * created with concrete zeros even while tracing).
 *
 * <p>Learning rate: a constant or a {@link LearningRateSchedule}; the schedule is evaluated on the host by
 * {@link #refreshLearningRate()} (the model's fit does this before each step; an eager {@code applyGradients} does it
 * itself) and written to the learning-rate variable, which the update reads at run time.
 *
 * <p>Gradient clipping: {@link #clipnorm} rescales each gradient to at most that L2 norm; {@link #globalClipnorm}
 * rescales all gradients together so their joint norm is at most that value (applied before the per-gradient clip);
 * {@link #clipvalue} clips each element to [-c, c] (last).
 *
 * <p>Keras 3's options for every optimizer: {@link #weightDecay} (decoupled: {@code w -= lr * wd * w} before the
 * update, for every variable but those {@linkplain #excludeFromWeightDecay excluded}) and an exponential moving
 * average of the weights ({@link #useEma}: {@code avg = m avg + (1 - m) w} after each update, the weights replaced
 * by their averages every {@link #emaOverwriteFrequency} steps and by {@link #finalizeVariableValues} at the end of
 * {@code fit}).
 */
public abstract class Optimizer {
    private final Variable iterations = Variable.of("optimizer/iterations", Tensors.scalar(0L), false);
    private final Variable learningRate;
    private LearningRateSchedule schedule;
    private double clipnorm = Double.NaN;
    private double globalClipnorm = Double.NaN;
    private double clipvalue = Double.NaN;
    private double weightDecay = 0;
    private java.util.regex.Pattern excludedFromDecay;
    private double emaMomentum = Double.NaN;   // NaN: no moving average
    private int emaOverwriteFrequency = 0;
    private final Map<String, Variable> averages = new HashMap<>();
    private final List<Variable> averageList = new ArrayList<>();
    private final Map<String, Variable[]> slots = new HashMap<>();
    private final List<Variable> slotList = new ArrayList<>();

    protected Optimizer(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException(name() + ": learning rate must be positive, got " + learningRate);
        }
        this.learningRate = Variable.of("optimizer/learning_rate", Tensors.scalar((float) learningRate), false);
    }

    protected Optimizer(LearningRateSchedule schedule) {
        this.schedule = schedule;
        this.learningRate = Variable.of("optimizer/learning_rate", Tensors.scalar((float) schedule.at(0)), false);
    }

    /** The Keras name ("adam"...). */
    public abstract String name();

    /** The number of slot variables per weight. */
    protected abstract int slotCount();

    /** Applies one update of {@code var} with gradient {@code g}; {@code step} is the int64 update number t >= 1. */
    protected abstract void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step);

    /** Clips each gradient to this L2 norm before the update (positive). */
    public Optimizer clipnorm(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": clipnorm must be positive, got " + c);
        clipnorm = c;
        return this;
    }

    /** Scales all gradients together so their joint L2 norm is at most this (positive). */
    public Optimizer globalClipnorm(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": globalClipnorm must be positive, got " + c);
        globalClipnorm = c;
        return this;
    }

    /** Clips each gradient element to [-c, c] before the update (positive; Keras' {@code clipvalue}). */
    public Optimizer clipvalue(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": clipvalue must be positive, got " + c);
        clipvalue = c;
        return this;
    }

    /**
     * Decoupled weight decay for every updated variable (Keras 3's {@code weight_decay}): before its update,
     * {@code w -= lr * wd * w}; 0 (the default) for none.
     */
    public Optimizer weightDecay(double wd) {
        if (!(wd >= 0) || !Double.isFinite(wd)) {
            throw new IllegalArgumentException(name() + ": weightDecay must be >= 0, got " + wd);
        }
        weightDecay = wd;
        return this;
    }

    /** The weight decay ({@link #weightDecay(double)}), 0 when off. */
    public double weightDecay() { return weightDecay; }

    /**
     * Leaves the variables whose names contain one of these (regular expressions searched in the name, as Keras'
     * {@code exclude_from_weight_decay(var_names=...)}, e.g. "bias", "gamma") out of the weight decay.
     */
    public Optimizer excludeFromWeightDecay(String... names) {
        if (names.length == 0) throw new IllegalArgumentException(name() + ": excludeFromWeightDecay needs names");
        String all = String.join("|", names);
        excludedFromDecay = java.util.regex.Pattern.compile(excludedFromDecay == null ? all
                : excludedFromDecay.pattern() + "|" + all);
        return this;
    }

    /** The weight decay of {@code v}: {@link #weightDecay()}, or 0 when it is excluded. */
    protected double weightDecayOf(Variable v) {
        if (weightDecay == 0) return 0;
        return excludedFromDecay != null && excludedFromDecay.matcher(v.name()).find() ? 0 : weightDecay;
    }

    /** Whether {@link #update} applies {@link #weightDecayOf} itself (Adam's fused kernel); else it is applied before. */
    protected boolean decaysInUpdate() { return false; }

    /**
     * Keeps an exponential moving average of every updated variable (Keras' {@code use_ema}), with this momentum
     * (in [0, 1); Keras' default 0.99): {@code avg = m avg + (1 - m) w} after each update (the first copies w).
     */
    public Optimizer useEma(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException(name() + ": ema momentum must be in [0, 1), got " + momentum);
        }
        emaMomentum = momentum;
        return this;
    }

    /** Every {@code n} steps (positive; 0: never) the variables are replaced by their moving averages. */
    public Optimizer emaOverwriteFrequency(int n) {
        if (n < 0) throw new IllegalArgumentException(name() + ": emaOverwriteFrequency must be >= 0, got " + n);
        emaOverwriteFrequency = n;
        return this;
    }

    /** Whether a moving average of the weights is kept ({@link #useEma}). */
    public boolean usesEma() { return !Double.isNaN(emaMomentum); }

    /**
     * The end of training (Keras' {@code finalize_variable_values}, called by {@code fit}): with {@link #useEma},
     * each of {@code vars} takes its moving average; nothing otherwise.
     */
    public void finalizeVariableValues(List<Variable> vars) {
        if (!usesEma()) return;
        for (Variable v : vars) {
            Variable avg = averages.get(v.name());
            if (avg != null) v.assign(avg.read());
        }
    }

    /** The moving average of {@code v} (made on first use from its value), or null without {@link #useEma}. */
    public Variable averageOf(Variable v) {
        if (!usesEma()) return null;
        return averages.computeIfAbsent(v.name(), k -> {
            Variable a = Variable.of("optimizer/" + v.name() + "/average", filled(v.dtype(), v.shape(), 0), false);
            averageList.add(a);
            return a;
        });
    }

    /** Replaces the learning rate by a schedule of the step. */
    public Optimizer schedule(LearningRateSchedule s) {
        schedule = s;
        refreshLearningRate();
        return this;
    }

    /** The learning-rate schedule, or null for a constant rate. */
    public LearningRateSchedule schedule() { return schedule; }

    /** Sets a constant learning rate (drops any schedule); used by the learning-rate scheduler callback. */
    public void setLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException(name() + ": learning rate must be positive, got " + lr);
        }
        schedule = null;
        learningRate.assign(Tensors.scalar((float) lr));
    }

    /** The current learning rate (eager read). */
    public double learningRate() { return learningRate.read().floatValue(); }

    /** The number of updates applied (int64 variable; checkpoints save it). */
    public Variable iterations() { return iterations; }

    /** The float32 variable the traced step reads the learning rate from. */
    public Variable learningRateVariable() { return learningRate; }

    /** The updates applied so far (eager read). */
    public long step() { return iterations.read().longValue(); }

    /** Evaluates the schedule (if any) at the current step and stores the rate; call eagerly before a step. */
    public void refreshLearningRate() {
        if (schedule != null) learningRate.assign(Tensors.scalar((float) schedule.at(step())));
    }

    /**
     * Every state variable: iterations, learning rate, the slots in creation order, the moving averages (with
     * {@link #useEma}), then the optimizer's own state
     * ({@link #stateVariables()}, e.g. Nadam's momentum-schedule product).
     */
    public List<Variable> variables() {
        List<Variable> all = new ArrayList<>();
        all.add(iterations);
        all.add(learningRate);
        all.addAll(slotList);
        all.addAll(averageList);
        all.addAll(stateVariables());
        return all;
    }

    /** Optimizer-wide state beyond the per-weight slots (none by default). */
    protected List<Variable> stateVariables() { return List.of(); }

    /** Called once per step before the weights are updated, with the step number (from 1); nothing by default. */
    protected void beforeUpdates(Tensor step) {}

    /**
     * The hyperparameters by their Keras names: {@code learning_rate} (the current one), {@code clipnorm} and
     * {@code global_clipnorm} when set, then the subclass's ({@link #hyperparameters}). {@link Optimizers#fromConfig}
     * rebuilds an equal optimizer (with fresh state) from {@link #name()} and this map, e.g. in another process.
     */
    public Map<String, Double> config() {
        Map<String, Double> c = new LinkedHashMap<>();
        c.put("learning_rate", learningRate());
        if (!Double.isNaN(clipnorm)) c.put("clipnorm", clipnorm);
        if (!Double.isNaN(globalClipnorm)) c.put("global_clipnorm", globalClipnorm);
        if (!Double.isNaN(clipvalue)) c.put("clipvalue", clipvalue);
        if (weightDecay != 0) c.put("weight_decay", weightDecay);
        if (usesEma()) {
            c.put("use_ema", 1.0);
            c.put("ema_momentum", emaMomentum);
            if (emaOverwriteFrequency > 0) c.put("ema_overwrite_frequency", (double) emaOverwriteFrequency);
        }
        c.putAll(hyperparameters());
        return c;
    }

    /** The subclass's hyperparameters for {@link #config()} (booleans as 0 or 1); none by default. */
    protected Map<String, Double> hyperparameters() { return Map.of(); }

    /**
     * The loss the model differentiates: {@code loss} itself, or the loss times the loss scale for a
     * {@link LossScaleOptimizer} (Keras' {@code scale_loss}).
     */
    public Tensor scaleLoss(Tensor loss) { return loss; }

    /** Creates the slots (and moving averages) of these weights now (optional: they are also made on first use). */
    public void build(List<Variable> vars) {
        for (Variable v : vars) {
            slotsOf(v);
            averageOf(v);
        }
    }

    /** Applies one update: {@code grads.get(i)} to {@code vars.get(i)} (null gradients are skipped). */
    public void applyGradients(List<Tensor> grads, List<Variable> vars) {
        if (grads.size() != vars.size()) {
            throw new IllegalArgumentException(name() + ": " + grads.size() + " gradients for " + vars.size()
                    + " variables");
        }
        boolean eager = true;
        for (Tensor g : grads) if (g != null && g.isSymbolic()) eager = false;
        if (eager) refreshLearningRate();
        List<Tensor> gs = new ArrayList<>(grads);
        if (!Double.isNaN(globalClipnorm)) gs = clipGlobal(gs, globalClipnorm);
        if (!Double.isNaN(clipnorm)) {
            for (int i = 0; i < gs.size(); i++) if (gs.get(i) != null) gs.set(i, clipByNorm(gs.get(i), clipnorm));
        }
        if (!Double.isNaN(clipvalue)) {
            for (int i = 0; i < gs.size(); i++) {
                Tensor g = gs.get(i);
                if (g != null) gs.set(i, Ops.clip(g, scalar(-clipvalue, g), scalar(clipvalue, g)));
            }
        }
        Tensor step = Ops.add(iterations.read(), Tensors.scalar(1L));
        beforeUpdates(step);
        Tensor lr = learningRate.read();
        for (int i = 0; i < vars.size(); i++) {
            if (gs.get(i) == null) continue;
            Variable v = vars.get(i);
            Tensor g = gs.get(i);
            if (!g.shape().isCompatibleWith(v.shape())) {
                throw new IllegalArgumentException(name() + ": gradient of shape " + g.shape() + " for " + v);
            }
            Tensor lrV = v.dtype() == DType.FLOAT32 ? lr : Ops.cast(lr, v.dtype());
            double wd = weightDecayOf(v);
            if (wd != 0 && !decaysInUpdate()) v.assign(Ops.sub(v.read(), Ops.mul(v.read(), Ops.mul(lrV, scalar(wd, g)))));
            update(v, g, slotsOf(v), lrV, step);
        }
        if (usesEma()) updateAverages(vars, gs);
        iterations.assignAdd(Tensors.scalar(1L));
    }

    /**
     * Keras' moving-average step: the momentum is 0 on the first update (the average starts as the weights), and
     * every {@code emaOverwriteFrequency} steps the weights take their averages.
     */
    private void updateAverages(List<Variable> vars, List<Tensor> gs) {
        Tensor notFirst = Ops.notEqual(iterations.read(), Tensors.scalar(0L));
        Tensor overwrite = emaOverwriteFrequency == 0 ? null : Ops.equal(Ops.mod(Ops.add(iterations.read(),
                Tensors.scalar(1L)), Tensors.scalar((long) emaOverwriteFrequency)), Tensors.scalar(0L));
        for (int i = 0; i < vars.size(); i++) {
            if (gs.get(i) == null) continue;
            Variable v = vars.get(i), avg = averageOf(v);
            Tensor m = Ops.mul(Ops.cast(notFirst, v.dtype()), scalar(emaMomentum, avg.read()));
            Tensor a = Ops.add(Ops.mul(m, avg.read()), Ops.mul(Ops.sub(scalar(1, avg.read()), m), v.read()));
            avg.assign(a);
            if (overwrite != null) v.assign(Ops.where(overwrite, a, v.read()));
        }
    }

    /** {@code g * c / max(||g||, c)}. */
    public static Tensor clipByNorm(Tensor g, double c) {
        Tensor norm = Ops.sqrt(Ops.sum(Ops.square(g)));
        Tensor cT = Ops.cast(Tensors.scalar(c), g.dtype());
        return Ops.mul(g, Ops.div(cT, Ops.maximum(norm, cT)));
    }

    /** All gradients scaled by {@code c / max(globalNorm, c)}. */
    public static List<Tensor> clipGlobal(List<Tensor> grads, double c) {
        Tensor sq = null;
        for (Tensor g : grads) {
            if (g == null) continue;
            Tensor s = Ops.sum(Ops.square(Ops.cast(g, DType.FLOAT32)));
            sq = sq == null ? s : Ops.add(sq, s);
        }
        if (sq == null) return grads;
        Tensor cT = Tensors.scalar((float) c);
        Tensor scale = Ops.div(cT, Ops.maximum(Ops.sqrt(sq), cT));
        List<Tensor> out = new ArrayList<>();
        for (Tensor g : grads) {
            out.add(g == null ? null : Ops.mul(g, g.dtype() == DType.FLOAT32 ? scale : Ops.cast(scale, g.dtype())));
        }
        return out;
    }

    /** The value every element of slot {@code i} starts with (0; Adagrad's accumulator starts at 0.1). */
    protected double slotInitialValue(int i) { return 0; }

    /** The slot variables of {@code v} (made on first use, filled with {@link #slotInitialValue}). */
    public Variable[] slotsOf(Variable v) {
        Variable[] s = slots.get(v.name());
        if (s == null) {
            s = new Variable[slotCount()];
            for (int i = 0; i < s.length; i++) {
                // a concrete value even when the slot is made while a step is being traced
                s[i] = Variable.of("optimizer/" + v.name() + "/" + slotName(i),
                        filled(v.dtype(), v.shape(), slotInitialValue(i)), false);
                slotList.add(s[i]);
            }
            slots.put(v.name(), s);
        }
        return s;
    }

    /** The name of slot {@code i} ("m", "v", "momentum"...). */
    protected String slotName(int i) { return "slot" + i; }

    static Tensor zeros(DType dtype, Shape shape) { return filled(dtype, shape, 0); }

    /** A concrete tensor of {@code shape} with every element {@code value}. */
    static Tensor filled(DType dtype, Shape shape, double value) {
        int n = shape.intSize();
        Object a = switch (dtype) {
            case FLOAT32 -> {
                float[] f = new float[n];
                java.util.Arrays.fill(f, (float) value);
                yield f;
            }
            case FLOAT64 -> {
                double[] d = new double[n];
                java.util.Arrays.fill(d, value);
                yield d;
            }
            default -> throw new IllegalArgumentException("optimizers update float32/float64 variables, got " + dtype);
        };
        return Tensor.wrap(dtype, shape, a);
    }

    /** {@code x} as a scalar of {@code like}'s dtype. */
    static Tensor scalar(double x, Tensor like) {
        return like.dtype() == DType.FLOAT64 ? Tensors.scalar(x) : Tensors.scalar((float) x);
    }
}
