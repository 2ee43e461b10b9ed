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
 * rescales all gradients together so their joint norm is at most that value (applied before the per-gradient clip).
 */
public abstract class Optimizer {
    private final Variable iterations = Variable.of("optimizer/iterations", Tensors.scalar(0L), false);
    private final Variable learningRate;
    private LearningRateSchedule schedule;
    private double clipnorm = Double.NaN;
    private double globalClipnorm = Double.NaN;
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
     * Every state variable: iterations, learning rate, the slots in creation order, then the optimizer's own state
     * ({@link #stateVariables()}, e.g. Nadam's momentum-schedule product).
     */
    public List<Variable> variables() {
        List<Variable> all = new ArrayList<>();
        all.add(iterations);
        all.add(learningRate);
        all.addAll(slotList);
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

    /** Creates the slots of these weights now (optional: they are also made on first use). */
    public void build(List<Variable> vars) {
        for (Variable v : vars) slotsOf(v);
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
            update(v, g, slotsOf(v), lrV, step);
        }
        iterations.assignAdd(Tensors.scalar(1L));
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
