package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.TrainingOps;

/**
 * Adam (Keras semantics, epsilon 1e-7 by default): {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²;
 * w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}. float32 weights use one fused kernel
 * ({@code ApplyAdam}, which writes the weight and its moments in place inside a traced step); {@link AdamW} adds
 * decoupled weight decay.
 */
public class Adam extends Optimizer {
    final double beta1;
    final double beta2;
    final double epsilon;

    /** Adam with learning rate 1e-3. */
    public Adam() { this(1e-3); }

    /** Adam with this learning rate, beta1 0.9, beta2 0.999, epsilon 1e-7. */
    public Adam(double learningRate) { this(learningRate, 0.9, 0.999, 1e-7); }

    /** Adam with these constants; throws for betas outside [0, 1) or a non-positive epsilon. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        check(beta1, beta2, epsilon);
    }

    /** Adam whose learning rate follows {@code schedule}, default constants. */
    public Adam(LearningRateSchedule schedule) {
        super(schedule);
        this.beta1 = 0.9;
        this.beta2 = 0.999;
        this.epsilon = 1e-7;
    }

    private void check(double b1, double b2, double eps) {
        if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException(name() + ": need 0 <= beta1, beta2 < 1 and epsilon > 0, got beta1="
                    + b1 + ", beta2=" + b2 + ", epsilon=" + eps);
        }
    }

    @Override public String name() { return "Adam"; }

    @Override protected int slotCount() { return 2; }

    @Override protected String slotName(int i) { return i == 0 ? "m" : "v"; }

    @Override
    protected Map<String, Double> hyperparameters() {
        return Map.of("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon);
    }

    /** The fused kernel decays the weights itself (AdamW, or Adam with a weight decay). */
    @Override protected boolean decaysInUpdate() { return true; }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        double wd = weightDecayOf(var);
        if (var.dtype() == DType.FLOAT32) {
            TrainingOps.applyAdam(var, slots[0], slots[1], g, lr, step, beta1, beta2, epsilon, wd);
            return;
        }
        Tensor t = Ops.cast(step, var.dtype());
        Tensor m = Ops.add(Ops.mul(slots[0].read(), scalar(beta1, g)), Ops.mul(g, scalar(1 - beta1, g)));
        Tensor v = Ops.add(Ops.mul(slots[1].read(), scalar(beta2, g)), Ops.mul(Ops.square(g), scalar(1 - beta2, g)));
        slots[0].assign(m);
        slots[1].assign(v);
        Tensor c1 = Ops.sub(scalar(1, g), Ops.pow(scalar(beta1, g), t));
        Tensor c2 = Ops.sub(scalar(1, g), Ops.pow(scalar(beta2, g), t));
        Tensor alpha = Ops.div(Ops.mul(lr, Ops.sqrt(c2)), c1);
        Tensor w = var.read();
        if (wd != 0) w = Ops.sub(w, Ops.mul(w, Ops.mul(lr, scalar(wd, g))));
        var.assign(Ops.sub(w, Ops.div(Ops.mul(m, alpha), Ops.add(Ops.sqrt(v), scalar(epsilon, g)))));
    }
}
