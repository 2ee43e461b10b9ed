package org.nabla.peers.tfjava;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Nabla's reference models (nabla-nn ReferenceModels, docs/nn.md) written with TensorFlow's raw ops, NHWC as Keras:
 * <ul>
 *   <li>mlp: Flatten -> Dense(128, relu) -> Dropout(0.2) -> Dense(10): 101,770 parameters;</li>
 *   <li>cnn: Conv2D(32, 3x3, relu) -> MaxPool(2) -> Conv2D(64, 3x3, relu) -> MaxPool(2) -> Flatten -> Dropout(0.5)
 *       -> Dense(10): 34,826 parameters.</li>
 * </ul>
 * Convolutions are "valid" with stride 1, as Keras' defaults; dropout is applied only when training.
 */
final class ReferenceGraphs {
    private ReferenceGraphs() {}

    /** The logits [batch, 10] of images [batch, 28, 28, 1]; the weights are created in {@code params}. */
    static Operand<TFloat32> logits(String model, Ops tf, Parameters params, Operand<TFloat32> images,
                                    boolean training) {
        return switch (model) {
            case "mlp" -> mlp(tf, params, images, training);
            case "cnn" -> cnn(tf, params, images, training);
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; known: mlp, cnn");
        };
    }

    private static Operand<TFloat32> mlp(Ops tf, Parameters p, Operand<TFloat32> images, boolean training) {
        Operand<TFloat32> x = flatten(tf, images, 28 * 28);
        x = tf.nn.relu(dense(tf, p, "dense1", x, 28 * 28, 128));
        if (training) x = dropout(tf, x, 0.2f);
        return dense(tf, p, "dense2", x, 128, 10);
    }

    private static Operand<TFloat32> cnn(Ops tf, Parameters p, Operand<TFloat32> images, boolean training) {
        Operand<TFloat32> x = maxPool(tf, tf.nn.relu(conv(tf, p, "conv1", images, 1, 32)));    // 26x26 -> 13x13
        x = maxPool(tf, tf.nn.relu(conv(tf, p, "conv2", x, 32, 64)));                         // 11x11 -> 5x5
        x = flatten(tf, x, 5 * 5 * 64);
        if (training) x = dropout(tf, x, 0.5f);
        return dense(tf, p, "dense", x, 5 * 5 * 64, 10);
    }

    private static Operand<TFloat32> dense(Ops tf, Parameters p, String name, Operand<TFloat32> x, long in, long out) {
        Operand<TFloat32> kernel = p.kernel(name + "_kernel", in, out);
        return tf.nn.biasAdd(tf.linalg.matMul(x, kernel), p.bias(name + "_bias", out));
    }

    private static Operand<TFloat32> conv(Ops tf, Parameters p, String name, Operand<TFloat32> x, long in, long out) {
        Operand<TFloat32> kernel = p.kernel(name + "_kernel", 3, 3, in, out);
        return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "VALID"), p.bias(name + "_bias", out));
    }

    private static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x) {
        Operand<TInt32> window = tf.constant(new int[] {1, 2, 2, 1});
        return tf.nn.maxPool(x, window, window, "VALID");
    }

    private static Operand<TFloat32> flatten(Ops tf, Operand<TFloat32> x, int features) {
        return tf.reshape(x, tf.constant(new int[] {-1, features}));
    }

    /** Inverted dropout as Keras': keep each value with probability 1 - rate, scale the kept ones by 1/(1 - rate). */
    private static Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> x, float rate) {
        Operand<TFloat32> uniform = tf.random.randomUniform(tf.shape(x), TFloat32.class);
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
        return tf.math.mul(x, tf.math.mul(keep, tf.constant(1 / (1 - rate))));
    }
}
