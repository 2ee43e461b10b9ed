package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.TensorSpec;
import org.nabla.TracedFunction;

/** What the conversion tests check of a traced function: its ops, and eager == converted == traced on scalars. */
final class Traces {
    private Traces() {}

    /** The op names of {@code f}'s graph for arguments shaped like {@code args}. */
    static List<String> ops(TracedFunction f, Tensor... args) {
        return f.concreteFunction(Arrays.stream(args).map(Tensor::spec).toArray(TensorSpec[]::new))
                .graph().graph().nodes().stream().map(n -> n.op().name()).toList();
    }

    /**
     * Runs {@code fn} on the int scalars {@code ns} as Java, converted and traced: all three give the same value and
     * every n shares one trace. Returns the ops of that trace.
     */
    static List<String> agreeOnScalars(UnaryTensorFunction fn, int... ns) {
        TracedFunction traced = AutoGraph.unary(fn);
        UnaryTensorFunction converted = AutoGraph.convertUnary(fn);
        for (int n : ns) {
            Tensor x = Tensors.scalar(n);
            int expected = fn.apply(x).intValue();
            assertEquals(expected, converted.apply(x).intValue(), "converted eager n=" + n);
            assertEquals(expected, traced.apply(x).intValue(), "traced n=" + n);
        }
        assertEquals(1, traced.traceCount(), "every n shares one trace");
        return ops(traced, Tensors.scalar(0));
    }
}
