package org.nabla.nn.optimizers;

import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;

/**
 * Nadam (Adam with Nesterov momentum, Dozat 2016; Keras 3 semantics): the momentum follows the schedule
 * {@code u_t = b1 (1 - 0.5 * 0.96^t)}, whose running product is optimizer state ({@code u_product}, checkpointed
 * with the rest); {@code m_hat = u_{t+1} m / (1 - prod_{t+1}) + (1 - u_t) g / (1 - prod_t)},
 * {@code v_hat = v / (1 - b2^t)}, {@code w -= lr m_hat / (sqrt(v_hat) + eps)}.
 */
public final class Nadam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Variable uProduct = Variable.of("optimizer/nadam/u_product",
            Tensor.wrap(DType.FLOAT32, Shape.SCALAR, new float[] {1f}), false);

    /** Nadam with this learning rate, beta1 0.9, beta2 0.999, epsilon 1e-7. */
    public Nadam(double learningRate) { this(learningRate, 0.9, 0.999, 1e-7); }

    /** Nadam with these constants; throws for betas outside [0, 1) or a non-positive epsilon. */
    public Nadam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Nadam: need 0 <= beta1, beta2 < 1 and epsilon > 0, got beta1="
                    + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override public String name() { return "Nadam"; }

    @Override protected int slotCount() { return 2; }

    @Override protected String slotName(int i) { return i == 0 ? "m" : "v"; }

    @Override
    protected Map<String, Double> hyperparameters() {
        return Map.of("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon);
    }

    @Override
    protected List<Variable> stateVariables() { return List.of(uProduct); }

    /** u_t = b1 (1 - 0.5 * 0.96^t) as a float32 scalar. */
    private Tensor u(Tensor t) {
        Tensor decay = Ops.pow(Tensors.scalar(0.96f), t);
        return Ops.mul(Tensors.scalar((float) beta1), Ops.sub(Tensors.scalar(1f), Ops.mul(decay, 0.5f)));
    }

    @Override
    protected void beforeUpdates(Tensor step) {
        uProduct.assign(Ops.mul(uProduct.read(), u(Ops.cast(step, DType.FLOAT32))));
    }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor t = Ops.cast(step, DType.FLOAT32);
        Tensor ut = cast(u(t), g), ut1 = cast(u(Ops.add(t, 1f)), g);
        Tensor prod = cast(uProduct.read(), g), prod1 = Ops.mul(prod, ut1);
        Tensor one = scalar(1, g);
        Tensor m = Ops.add(slots[0].read(), Ops.mul(Ops.sub(g, slots[0].read()), scalar(1 - beta1, g)));
        Tensor v = Ops.add(slots[1].read(), Ops.mul(Ops.sub(Ops.square(g), slots[1].read()), scalar(1 - beta2, g)));
        slots[0].assign(m);
        slots[1].assign(v);
        Tensor mHat = Ops.add(Ops.div(Ops.mul(ut1, m), Ops.sub(one, prod1)),
                Ops.div(Ops.mul(Ops.sub(one, ut), g), Ops.sub(one, prod)));
        Tensor vHat = Ops.div(v, Ops.sub(one, Ops.pow(scalar(beta2, g), cast(t, g))));
        var.assignSub(Ops.div(Ops.mul(mHat, lr), Ops.add(Ops.sqrt(vHat), scalar(epsilon, g))));
    }

    private static Tensor cast(Tensor x, Tensor like) { return x.dtype() == like.dtype() ? x : Ops.cast(x, like.dtype()); }
}
