package org.nabla.nn;

import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Keras' {@code class_weight} turned into per-example weights, on the host as Keras does: the class of an example
 * is its target (rounded), or the argmax of a target row longer than 1; classes not in the map weigh 1.
 */
final class ClassWeights {
    private ClassWeights() {}

    /** Weights [N] (float32) for targets {@code y} ([N], [N, 1] or one-hot [N, C]). */
    static Tensor sampleWeights(Tensor y, Map<Integer, Double> classWeight) {
        if (y.shape().rank() == 0 || y.shape().rank() > 2) {
            throw new IllegalArgumentException("classWeight needs targets [N], [N, 1] or [N, C], got " + y.shape());
        }
        int n = y.shape().dim(0);
        int c = y.shape().rank() == 2 ? y.shape().dim(1) : 1;
        double[] v = y.toDoubleArray();
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            int cls;
            if (c > 1) {
                cls = 0;
                for (int j = 1; j < c; j++) if (v[i * c + j] > v[i * c + cls]) cls = j;
            } else {
                cls = (int) Math.rint(v[i]);
            }
            w[i] = classWeight.getOrDefault(cls, 1.0).floatValue();
        }
        return Tensor.wrap(DType.FLOAT32, Shape.of(n), w);
    }
}
