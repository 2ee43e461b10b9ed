package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.graph.Graph;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/**
 * A representative program both ways: a two-layer MLP with softmax cross-entropy gives the same gradients on a tape
 * and in a graph, and gradient descent on the tape lowers its loss.
 */
class TrainingTest {
    private static final float[][] X = {{0.1f, 0.9f, -0.3f}, {0.8f, -0.2f, 0.5f}, {-0.6f, 0.4f, 0.2f},
            {0.3f, 0.3f, -0.9f}};
    private static final int[] LABELS = {0, 1, 2, 1};

    private static Tensor loss(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor labels) {
        Tensor h = Ops.relu(Ops.biasAdd(Ops.matmul(x, w1), b1));
        Tensor logits = Ops.add(Ops.matmul(h, w2), b2);
        return Ops.mean(Ops.sparseSoftmaxCrossEntropyWithLogits(logits, labels));
    }

    private static Tensor[] initialWeights() {
        return new Tensor[] {Ops.randomNormal(new int[] {3, 8}, DType.FLOAT32, 0, 0.5, 1),
                Ops.fill(0.1f, 8), Ops.randomNormal(new int[] {8, 3}, DType.FLOAT32, 0, 0.5, 2),
                Ops.zeros(DType.FLOAT32, 3)};
    }

    @Test
    void tapeAndGraphGiveTheSameGradients() {
        Tensor[] w = initialWeights();
        Tensor x = Tensors.of(X), labels = Tensors.of(LABELS);
        Tensor[] eager;
        try (GradientTape tape = GradientTape.start()) {
            for (Tensor t : w) tape.watch(t);
            eager = tape.gradient(loss(x, w[0], w[1], w[2], w[3], labels), (Object[]) w);
        }
        Graph g = new Graph();
        List<Output> fetches = new ArrayList<>();
        Tensor xp;
        try (var s = g.asDefault()) {
            xp = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor[] params = new Tensor[4];
            for (int i = 0; i < 4; i++) params[i] = Ops.constant(w[i]);
            Tensor l = loss(xp, params[0], params[1], params[2], params[3], Ops.constant(labels));
            for (Tensor grad : Gradients.gradients(List.of(l), List.of(params))) fetches.add(g.outputOf(grad));
        }
        List<Tensor> graph = SerialExecutor.run(g, Map.of(g.outputOf(xp), x), fetches, List.of());
        for (int i = 0; i < 4; i++) {
            assertClose(eager[i].toDoubleArray(), graph.get(i), DType.FLOAT32, w[i].shape().dims(), 1e-6);
        }
    }

    @Test
    void gradientDescentOnTheTapeLowersTheLoss() {
        Tensor[] init = initialWeights();
        List<Variable> vars = new ArrayList<>();
        for (Tensor t : init) vars.add(Variable.of(t));
        Tensor x = Tensors.of(X), labels = Tensors.of(LABELS);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            List<Tensor> grads;
            Tensor l;
            try (GradientTape tape = GradientTape.start()) {
                l = loss(x, vars.get(0).read(), vars.get(1).read(), vars.get(2).read(), vars.get(3).read(), labels);
                grads = tape.gradient(l, vars);
            }
            for (int i = 0; i < vars.size(); i++) vars.get(i).assignSub(Ops.mul(grads.get(i), 0.5f));
            if (step == 0) first = l.doubleValue();
            last = l.doubleValue();
        }
        assertTrue(last < first * 0.5, "loss went from " + first + " to " + last);
    }
}
