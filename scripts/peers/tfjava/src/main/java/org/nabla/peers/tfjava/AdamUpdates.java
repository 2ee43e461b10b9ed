package org.nabla.peers.tfjava;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

/**
 * One Adam step over all parameters with TensorFlow's fused ResourceApplyAdam kernel: Keras' Adam (learning rate
 * 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7, the bias correction folded into the step size), the same optimizer
 * Nabla's reference models compile with. The running powers beta1^t and beta2^t live in two scalar variables
 * that are advanced after every parameter has been updated.
 */
final class AdamUpdates {
    static final float LEARNING_RATE = 1e-3f;
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-7f;

    private AdamUpdates() {}

    /** The step op and each weight's gradient (in {@link Parameters#weights()} order, for the self-check). */
    record Step(Op op, List<Operand<TFloat32>> gradients) {}

    /**
     * The op that applies one step of Adam to every weight in {@code params}, given the gradient of the loss with
     * respect to {@code logits}: TensorFlow's C++ gradient registry, which the graph API's gradients use, has no
     * gradient for the sparse cross-entropy op, so the loss's gradient enters at the logits.
     */
    static Step minimize(Ops tf, Parameters params, Operand<TFloat32> logits, Operand<TFloat32> logitsGradient) {
        List<Parameters.Weight> weights = params.weights();
        Gradients grads = tf.gradients(List.of(logits), weights.stream().map(Parameters.Weight::read).toList(),
                Gradients.dx(List.of(logitsGradient)));
        Parameters.Weight beta1Power = params.variable("adam_beta1_power", Shape.scalar(), new float[] {BETA1});
        Parameters.Weight beta2Power = params.variable("adam_beta2_power", Shape.scalar(), new float[] {BETA2});
        Operand<TFloat32> lr = tf.constant(LEARNING_RATE);
        Operand<TFloat32> b1 = tf.constant(BETA1);
        Operand<TFloat32> b2 = tf.constant(BETA2);
        Operand<TFloat32> eps = tf.constant(EPSILON);
        List<Op> applies = new ArrayList<>();
        List<Operand<TFloat32>> gradients = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            Parameters.Weight w = weights.get(i);
            float[] zeros = new float[Math.toIntExact(w.shape().size())];
            Parameters.Weight m = params.variable(w.name() + "_adam_m", w.shape(), zeros);
            Parameters.Weight v = params.variable(w.name() + "_adam_v", w.shape(), zeros);
            Operand<TFloat32> g = grads.dy(i);
            gradients.add(g);
            applies.add(tf.train.resourceApplyAdam(w.handle(), m.handle(), v.handle(), beta1Power.read(),
                    beta2Power.read(), lr, b1, b2, eps, g));
        }
        // Advance beta^t only after every update has read this step's value.
        Ops after = tf.withControlDependencies(applies);
        Op next1 = after.assignVariableOp(beta1Power.handle(),
                after.math.mul(after.readVariableOp(beta1Power.handle(), TFloat32.class), b1));
        Op next2 = after.assignVariableOp(beta2Power.handle(),
                after.math.mul(after.readVariableOp(beta2Power.handle(), TFloat32.class), b2));
        return new Step(tf.withControlDependencies(List.of(next1, next2)).withName("train_step").noOp(), gradients);
    }
}
