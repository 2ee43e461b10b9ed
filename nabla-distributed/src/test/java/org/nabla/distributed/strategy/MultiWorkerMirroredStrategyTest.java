package org.nabla.distributed.strategy;

import org.nabla.distributed.Cluster;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.collective.CollectiveOps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.Function;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.ops.TensorSpec;

/** How {@link MultiWorkerMirroredStrategy#reduceGradients} lays out a traced step's all-reduces. */
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
            Function step = Function.of("step", a -> {
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
