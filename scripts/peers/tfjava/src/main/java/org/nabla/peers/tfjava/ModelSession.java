package org.nabla.peers.tfjava;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One reference model as a TensorFlow graph and the session that runs it, for one workload: a training graph
 * (forward with dropout, sparse softmax cross-entropy from logits averaged over the batch, Adam) or an inference
 * graph (forward only). The session's intra-op and inter-op thread pools both get {@code threads} threads.
 */
final class ModelSession implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> images;
    private final Placeholder<TInt64> labels;
    private final Operand<TFloat32> logits;
    private final Operand<TFloat32> loss;
    private final Op trainStep;
    private final Parameters params;
    private final List<Operand<TFloat32>> gradients;
    private final long parameters;

    ModelSession(Workload w, int threads, long seed) {
        Ops tf = Ops.create(graph);
        images = tf.withName("images").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(w.batch(), SeededBatches.SIDE, SeededBatches.SIDE, 1)));
        labels = tf.withName("labels").placeholder(TInt64.class, Placeholder.shape(Shape.of(w.batch())));
        params = new Parameters(tf, seed);
        logits = ReferenceGraphs.logits(w.model(), tf, params, images, w.training());
        parameters = params.count();
        if (w.training()) {
            SparseSoftmaxCrossEntropyWithLogits<TFloat32> xent = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits,
                    labels);
            loss = tf.withName("loss").math.mean(xent.loss(), tf.constant(0));
            // The op's second output is d(per-sample loss)/d(logits); the batch mean divides it by the batch.
            Operand<TFloat32> dLogits = tf.math.div(xent.backprop(), tf.constant((float) w.batch()));
            AdamUpdates.Step step = AdamUpdates.minimize(tf, params, logits, dLogits);
            trainStep = step.op();
            gradients = step.gradients();
        } else {
            loss = null;
            trainStep = null;
            gradients = List.of();
        }
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .build();
        session = new Session(graph, config);
        Session.Runner init = session.runner();
        for (Op op : params.initializers()) init.addTarget(op);
        init.run().close();
    }

    /** The number of trainable values of the model. */
    long parameters() {
        return parameters;
    }

    /** One training step on a batch; returns the loss (read back to the host, as Keras' train_on_batch does). */
    float train(TFloat32 x, TInt64 y) {
        try (Result r = session.runner().feed(images, x).feed(labels, y).addTarget(trainStep).fetch(loss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** The logits of a batch, fetched to the host and released. */
    void predict(TFloat32 x) {
        try (Result r = session.runner().feed(images, x).fetch(logits).run()) {
            r.get(0);
        }
    }

    /** The model's weights, for the self-check. */
    List<Parameters.Weight> weights() {
        return params.weights();
    }

    /** Each weight's gradient in a training graph, in {@link #weights()} order, for the self-check. */
    List<Operand<TFloat32>> gradients() {
        return gradients;
    }

    /** The logits of a batch, for the self-check. */
    Operand<TFloat32> logits() {
        return logits;
    }

    /**
     * Runs the graph once on a batch, with the training step when {@code step}, and returns the values of
     * {@code fetches} (all computed in that one run, before its updates), flattened, for the self-check.
     */
    List<float[]> inspect(TFloat32 x, TInt64 y, boolean step, List<Operand<TFloat32>> fetches) {
        Session.Runner runner = session.runner().feed(images, x);
        if (trainStep != null) runner.feed(labels, y);
        if (step) runner.addTarget(trainStep);
        fetches.forEach(runner::fetch);
        try (Result r = runner.run()) {
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < fetches.size(); i++) {
                TFloat32 t = (TFloat32) r.get(i);
                float[] values = new float[Math.toIntExact(t.shape().size())];
                t.copyTo(DataBuffers.of(values, false, false));
                out.add(values);
            }
            return out;
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
