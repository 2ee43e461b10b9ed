package org.nabla.distributed.strategy;

import org.nabla.distributed.Cluster;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.collective.CollectiveOps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.ops.TensorSpec;

/** How {@link MultiWorkerMirroredStrategy} lays out a step's all-reduces, traced and eager. */
@Timeout(60)
class MultiWorkerMirroredStrategyTest {
    /**
     * With one pack per gradient, the first all-reduce (the last layer's bias) depends on the last layer's gradients
     * only, not on the first layer's: the executor may run it while the backward pass still computes those.
     */
    @Test
    void aTracedStepsFirstPackDoesNotWaitForTheFirstLayersGradients() throws Exception {
        try (Cluster c = new Cluster(1, DistributedOptions.defaults())) {
            MultiWorkerMirroredStrategy strategy = MultiWorkerMirroredStrategy.of(c.server(0)).withPackBytes(1);
            Sequential m = new Sequential(new Dense(8, "relu"), new Dense(3));
            m.seed(1);
            m.input(4);
            List<Variable> vars = m.trainableWeights();
            Tensor[][] grads = new Tensor[1][];
            TracedFunction step = TracedFunction.of("step", a -> {
                List<Tensor> g;
                try (GradientTape tape = new GradientTape()) {
                    g = tape.gradient(Ops.sum(m.call(new Tensor[] {a[0]}, true)[0]), vars);
                }
                grads[0] = g.toArray(Tensor[]::new);
                return strategy.reduceGradients(g, 2).toArray(Tensor[]::new);
            });
            FuncGraph graph = step.graph(TensorSpec.of(DType.FLOAT32, Shape.of(2, 4)));
            List<Node> collectives = graph.graph().nodes().stream().filter(n -> n.op() == CollectiveOps.ALL_REDUCE)
                    .toList();
            assertEquals(vars.size(), collectives.size(), "one all-reduce per gradient");
            Node first = collectives.stream().filter(n -> n.attrs().getString("instance").equals("grads/0"))
                    .findFirst().orElseThrow();
            Set<Node> before = ancestors(first);
            assertTrue(before.contains(producer(grads[0][vars.size() - 1])), "waits for the last layer's bias gradient");
            assertFalse(before.contains(producer(grads[0][0])), "waits for the first layer's kernel gradient");
        }
    }

    /**
     * An eager step's reduction queues a pack as soon as the gradients from the last variable down to it are final,
     * whatever order they come in, and ends with reduceGradients' result.
     */
    @Test
    void packsStartAsSoonAsTheGradientsFromTheEndAreFinal() throws Exception {
        try (Cluster c = new Cluster(1, DistributedOptions.defaults())) {
            MultiWorkerMirroredStrategy strategy = MultiWorkerMirroredStrategy.of(c.server(0)).withPackBytes(8);
            List<Tensor> grads = java.util.Arrays.asList(Tensors.of(new float[] {1, 2, 3}, 3), null,
                    Tensors.of(new float[] {4}, 1), Tensors.of(new float[] {5}, 1));
            ReductionAsReady r = (ReductionAsReady) strategy.reduceAsReady(List.of(), 3L);
            assertThrows(IllegalArgumentException.class, () -> r.ready(grads.get(0), 0), "no variable 0");
            ReductionAsReady four = (ReductionAsReady) strategy.reduceAsReady(java.util.Collections.nCopies(4,
                    (Variable) null), 3);
            four.ready(grads.get(0), 0);
            assertEquals(0, four.launched(), "variable 3 is not final yet");
            four.ready(grads.get(3), 3);
            assertEquals(0, four.launched(), "4 bytes: the pack is not full");
            four.ready(grads.get(2), 2);
            assertEquals(1, four.launched(), "8 bytes: variables 3 and 2");
            assertThrows(IllegalStateException.class, () -> four.ready(grads.get(2), 2));
            assertThrows(IllegalStateException.class, four::finish, "variable 1 was never handed over");
            four.ready(null, 1);
            assertEquals(2, four.launched(), "variable 0 alone");
            List<Tensor> got = four.finish();
            List<Tensor> expected = strategy.reduceGradients(grads, 3);
            assertNull(got.get(1));
            for (int i : new int[] {0, 2, 3}) assertArrayEquals(expected.get(i).toFloatArray(), got.get(i).toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, got.get(0).toFloatArray());
        }
    }

    private static Node producer(Tensor symbolic) { return ((Output) symbolic.symbol()).node(); }

    /** Every node {@code n} waits for, through data and control edges. */
    private static Set<Node> ancestors(Node n) {
        Set<Node> seen = new HashSet<>();
        Deque<Node> todo = new ArrayDeque<>(List.of(n));
        while (!todo.isEmpty()) {
            Node x = todo.pop();
            for (Output in : x.inputs()) if (seen.add(in.node())) todo.push(in.node());
            for (Node ctl : x.controlInputs()) if (seen.add(ctl)) todo.push(ctl);
        }
        return seen;
    }
}
