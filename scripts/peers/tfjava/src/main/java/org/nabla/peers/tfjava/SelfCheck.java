package org.nabla.peers.tfjava;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * {@code TfJavaPeer --self-check}: evidence that the measured graphs train as Nabla's models do, checked against
 * values computed here independently, in double precision:
 * <ul>
 *   <li>the output bias's gradient equals (softmax(logits) - onehot(labels)) / batch summed over the batch (the
 *       gradient of the mean sparse cross-entropy, entering at the logits);</li>
 *   <li>two training steps move that bias exactly as Keras' Adam does (bias correction with beta^t advancing);</li>
 *   <li>repeated steps on one batch lower the loss (the whole graph learns).</li>
 * </ul>
 */
final class SelfCheck {
    private SelfCheck() {}

    static void run(int threads) {
        for (String model : List.of("mlp", "cnn")) {
            Workload w = new Workload(model, "train", Workload.trainBatch(model));
            try (ModelSession m = new ModelSession(w, threads, 42);
                 SeededBatches data = new SeededBatches(w.batch(), 1)) {
                int last = m.weights().size() - 1;  // the output layer's bias
                Operand<TFloat32> bias = m.weights().get(last).read();
                Operand<TFloat32> grad = m.gradients().get(last);
                long[] labels = new long[w.batch()];
                data.labels(0).copyTo(DataBuffers.of(labels, false, false));
                double[] mom = new double[SeededBatches.CLASSES];
                double[] vel = new double[SeededBatches.CLASSES];
                for (int t = 1; t <= 2; t++) {
                    List<float[]> r = m.inspect(data.images(0), data.labels(0), true, List.of(m.logits(), grad, bias));
                    double[] want = biasGradient(r.get(0), labels);
                    close(model + " output-bias gradient, step " + t, r.get(1), want, 1e-5);
                    float[] after = m.inspect(data.images(0), data.labels(0), false, List.of(bias)).get(0);
                    close(model + " Adam update, step " + t, after, adam(r.get(2), r.get(1), mom, vel, t), 1e-6);
                }
                float first = m.train(data.images(0), data.labels(0));
                float loss = first;
                int steps = model.equals("mlp") ? 200 : 100;
                for (int i = 0; i < steps; i++) loss = m.train(data.images(0), data.labels(0));
                if (!(loss < 0.8 * first)) {
                    throw new IllegalStateException(model + ": the loss on one repeated batch went " + first + " -> "
                            + loss + ", not below 0.8 of where it started");
                }
                System.err.printf(Locale.ROOT, "self-check %s: %d parameters, gradient and Adam steps match, "
                        + "loss on one batch %.3f -> %.3f%n", model, m.parameters(), first, loss);
            }
        }
        System.err.println("self-check passed");
    }

    /** d(mean cross-entropy)/d(bias) from the logits: sum over the batch of (softmax - onehot) / batch. */
    private static double[] biasGradient(float[] logits, long[] labels) {
        int classes = SeededBatches.CLASSES;
        int batch = labels.length;
        double[] g = new double[classes];
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) max = Math.max(max, logits[b * classes + j]);
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += Math.exp(logits[b * classes + j] - max);
            for (int j = 0; j < classes; j++) {
                double p = Math.exp(logits[b * classes + j] - max) / sum;
                g[j] += (p - (labels[b] == j ? 1 : 0)) / batch;
            }
        }
        return g;
    }

    /** Keras' Adam step t on values with gradient g, updating the moments m and v in place. */
    private static double[] adam(float[] values, float[] g, double[] m, double[] v, int t) {
        double b1 = AdamUpdates.BETA1;
        double b2 = AdamUpdates.BETA2;
        double lr = AdamUpdates.LEARNING_RATE * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            out[i] = values[i] - lr * m[i] / (Math.sqrt(v[i]) + AdamUpdates.EPSILON);
        }
        return out;
    }

    private static void close(String what, float[] got, double[] want, double tolerance) {
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(got[i] - want[i]) > tolerance * Math.max(1, Math.abs(want[i]))) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s: element %d is %.8g, expected %.8g",
                        what, i, got[i], want[i]));
            }
        }
    }
}
