package org.nabla.nn.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;

/**
 * Dynamic loss scaling for mixed-precision training (Keras 3's {@code LossScaleOptimizer}): the model multiplies the
 * loss by the scale ({@link #scaleLoss}) so that small float16 gradients do not flush to zero; this optimizer divides
 * the gradients by the scale again and hands them to the inner optimizer. When a gradient holds an infinity or a NaN
 * the step is skipped (weights, slots and iterations unchanged) and the scale halved; after {@code growthSteps}
 * finite steps in a row the scale doubles. Works eagerly (the skip is a Java branch) and in traced steps (every state
 * variable is selected between its new and its old value, so the graph needs no conditional).
 */
public final class LossScaleOptimizer extends Optimizer {
    private final Optimizer inner;
    private final int growthSteps;
    private final double initialScale;
    private final Variable scale;
    private final Variable counter;

    /** Keras' defaults: initial scale 2^15, doubled after 2000 finite steps. */
    public LossScaleOptimizer(Optimizer inner) { this(inner, 0x1p15, 2000); }

    /** A loss-scaling wrapper of {@code inner} starting at {@code initialScale}, growing every {@code growthSteps}. */
    public LossScaleOptimizer(Optimizer inner, double initialScale, int growthSteps) {
        super(1.0);
        if (inner == null) throw new IllegalArgumentException("LossScaleOptimizer: inner optimizer is null");
        if (inner instanceof LossScaleOptimizer) {
            throw new IllegalArgumentException("LossScaleOptimizer: the inner optimizer is already one");
        }
        if (!(initialScale > 0) || Double.isInfinite(initialScale) || growthSteps < 1) {
            throw new IllegalArgumentException("LossScaleOptimizer: need a finite initial scale > 0 and growth steps"
                    + " >= 1, got " + initialScale + " and " + growthSteps);
        }
        this.inner = inner;
        this.initialScale = initialScale;
        this.growthSteps = growthSteps;
        this.scale = Variable.of("optimizer/dynamic_scale", Tensors.scalar((float) initialScale), false);
        this.counter = Variable.of("optimizer/step_counter", Tensors.scalar(0L), false);
    }

    /** The wrapped optimizer. */
    public Optimizer inner() { return inner; }

    /** The current loss scale (eager read). */
    public double lossScale() { return scale.read().floatValue(); }

    /** The float32 variable holding the loss scale. */
    public Variable lossScaleVariable() { return scale; }

    /** Finite steps since the scale last changed (int64 variable). */
    public Variable stepCounter() { return counter; }

    @Override public String name() { return "LossScaleOptimizer"; }

    @Override protected int slotCount() { return 0; }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        throw new IllegalStateException("LossScaleOptimizer updates through its inner optimizer");
    }

    @Override
    public Tensor scaleLoss(Tensor loss) {
        Tensor s = scale.read();
        return Ops.mul(loss, loss.dtype() == DType.FLOAT32 ? s : Ops.cast(s, loss.dtype()));
    }

    @Override
    public void applyGradients(List<Tensor> grads, List<Variable> vars) {
        Tensor inverse = Ops.reciprocal(scale.read());
        List<Tensor> unscaled = new ArrayList<>();
        Tensor finite = null;
        for (Tensor g : grads) {
            if (g == null) {
                unscaled.add(null);
                continue;
            }
            Tensor allFinite = Ops.all(Ops.isFinite(g));
            finite = finite == null ? allFinite : Ops.logicalAnd(finite, allFinite);
            unscaled.add(Ops.mul(g, g.dtype() == DType.FLOAT32 ? inverse : Ops.cast(inverse, g.dtype())));
        }
        if (finite == null) finite = Ops.constant(true);
        if (!finite.isSymbolic()) {
            if (finite.booleanValue()) {
                inner.applyGradients(unscaled, vars);
                long next = counter.read().longValue() + 1;
                if (next >= growthSteps) {
                    counter.assign(Tensors.scalar(0L));
                    scale.assign(Ops.mul(scale.read(), 2f));
                } else {
                    counter.assign(Tensors.scalar(next));
                }
            } else {
                counter.assign(Tensors.scalar(0L));
                scale.assign(Ops.mul(scale.read(), 0.5f));
            }
            return;
        }
        // traced: update, then keep each state variable's old value where the gradients were not finite
        inner.build(vars);
        List<Variable> state = new ArrayList<>(vars);
        state.addAll(inner.variables());
        List<Tensor> before = new ArrayList<>();
        for (Variable v : state) before.add(v.read());
        inner.applyGradients(unscaled, vars);
        for (int i = 0; i < state.size(); i++) {
            Variable v = state.get(i);
            v.assign(Ops.where(finite, v.read(), before.get(i)));
        }
        Tensor next = Ops.add(counter.read(), Tensors.scalar(1L));
        Tensor grow = Ops.logicalAnd(finite, Ops.greaterEqual(next, Tensors.scalar((long) growthSteps)));
        Tensor factor = Ops.where(finite, Ops.where(grow, Tensors.scalar(2f), Tensors.scalar(1f)),
                Tensors.scalar(0.5f));
        scale.assign(Ops.mul(scale.read(), factor));
        counter.assign(Ops.where(Ops.logicalAnd(finite, Ops.logicalNot(grow)), next, Tensors.scalar(0L)));
    }

    @Override public Variable iterations() { return inner.iterations(); }

    @Override public Variable learningRateVariable() { return inner.learningRateVariable(); }

    @Override public double learningRate() { return inner.learningRate(); }

    @Override public void setLearningRate(double lr) { inner.setLearningRate(lr); }

    @Override public long step() { return inner.step(); }

    @Override public void refreshLearningRate() { inner.refreshLearningRate(); }

    @Override public LearningRateSchedule schedule() { return inner.schedule(); }

    @Override
    public Optimizer schedule(LearningRateSchedule s) {
        inner.schedule(s);
        return this;
    }

    @Override public void build(List<Variable> vars) { inner.build(vars); }

    @Override public Variable[] slotsOf(Variable v) { return inner.slotsOf(v); }

    /** The inner optimizer's variables, then the loss scale and the step counter. */
    @Override
    public List<Variable> variables() {
        List<Variable> all = new ArrayList<>(inner.variables());
        all.add(scale);
        all.add(counter);
        return all;
    }

    @Override
    public Map<String, Double> config() {
        Map<String, Double> c = new java.util.LinkedHashMap<>(inner.config());
        c.put("initial_scale", initialScale);
        c.put("dynamic_growth_steps", (double) growthSteps);
        return c;
    }
}
