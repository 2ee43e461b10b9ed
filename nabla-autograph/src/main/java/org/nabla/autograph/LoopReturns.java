package org.nabla.autograph;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.FuncGraph;
import org.nabla.ops.TensorSpec;

/**
 * A {@code return} inside a loop on a tensor condition, as AutoGraph does it: the returned value is a loop var, and a
 * path through the body that does not return carries the loop var's current value on (a Cond needs an output from
 * both branches). To build that loop var, the body is traced once beforehand, in a graph that is thrown away, to
 * learn the returned value's dtype and shape. One stack per thread: loops nest, and tracing is single-threaded.
 */
final class LoopReturns {
    private static final class Carried {
        final Tensor current;
        TensorSpec seen;

        Carried(Tensor current) { this.current = current; }
    }

    private static final ThreadLocal<ArrayDeque<Carried>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private LoopReturns() {}

    /** Runs {@code body} with {@code current} as the value a path that does not return carries. */
    static Object[] carrying(Tensor current, java.util.function.Supplier<Object[]> body) {
        STACK.get().push(new Carried(current));
        try {
            return body.get();
        } finally {
            STACK.get().pop();
        }
    }

    /**
     * The value that a path that does not return carries in the innermost converted loop that may return; null
     * outside such a loop. While learning the returned spec it is a stand-in (zeros of the spec once one return has
     * been traced).
     */
    static Tensor passThrough() {
        Carried c = STACK.get().peek();
        if (c == null) return null;
        if (c.current != null) return c.current;
        return c.seen == null ? Tensors.scalar(0f) : zeros(c.seen);
    }

    /** Notes a value returned inside the innermost loop (what the probe learns). */
    static void saw(Tensor value) {
        Carried c = STACK.get().peek();
        if (c != null && c.seen == null) c.seen = value.spec();
    }

    /**
     * Traces {@code body} on placeholders like {@code loopVars} into a graph that is thrown away and returns the spec
     * of the first value it returns; null when no return was traced ({@code failure[0]} then holds the error, if any).
     */
    static TensorSpec probe(Tensor[] loopVars, Function<Tensor[], Object[]> body, RuntimeException[] failure) {
        Carried c = new Carried(null);
        STACK.get().push(c);
        try {
            List<TensorSpec> specs = Arrays.stream(loopVars).map(Tensor::spec).toList();
            FuncGraph.trace("autograph_return_probe", specs, args -> {
                Object[] res = body.apply(args);
                if (Objects.equals(res[0], Exits.RETURN) && res[1] instanceof Tensor t) saw(t);
                return new Tensor[0];
            });
        } catch (RuntimeException e) {
            failure[0] = e;     // e.g. a Cond over the stand-in: the spec was learned before it failed
        } finally {
            STACK.get().pop();
        }
        Carried outer = STACK.get().peek();         // an enclosing loop's return returns the same method's value
        if (outer != null && outer.seen == null) outer.seen = c.seen;
        return c.seen;
    }

    /** Zeros of {@code spec}, its unknown dims 0 (a While loop var of such a shape relaxes them to unknown again). */
    static Tensor zeros(TensorSpec spec) {
        int[] dims = spec.shape().dims();
        for (int i = 0; i < dims.length; i++) if (dims[i] < 0) dims[i] = 0;
        return Ops.zeros(spec.dtype(), dims);
    }
}
