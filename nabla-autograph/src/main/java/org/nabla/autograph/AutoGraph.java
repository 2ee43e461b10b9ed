package org.nabla.autograph;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.nabla.Tensor;
import org.nabla.TracedFunction;

/**
 * tf.function(autograph=True) for Java. The method behind a lambda or method reference is rewritten so that an
 * {@code if}, {@code while}, {@code do}/{@code while} or {@code for} whose condition is {@code tensor.booleanValue()}
 * (also joined by {@code &&}/{@code ||}, or in {@code c ? a : b}) becomes, when traced, a Cond or While node (both
 * branches, or the loop body, traced as sub-graphs), with {@code break}, {@code continue} and {@code return} carried
 * as flags, and a {@code switch} on {@code tensor.intValue()} a Case node; lambdas it creates and methods of the
 * user's other classes it calls are converted too; conditions on Java values stay Java control flow, run while
 * tracing.
 * Run eagerly, converted code does exactly what the original does. Errors name the source line. See
 * docs/tracing.md#autograph-java-control-flow-on-tensors.
 *
 * <pre>{@code
 * TracedFunction f = AutoGraph.binary(Rnn::run);   // static Tensor run(Tensor x, Tensor h) { ... while (...) ... }
 * f.apply(x, h0);                                    // one graph with a While node
 * }</pre>
 */
public final class AutoGraph {
    private AutoGraph() {}

    /** A traced function of one tensor, its method converted. */
    public static TracedFunction unary(UnaryTensorFunction fn) {
        ConvertedMethods.Resolved r = ConvertedMethods.resolve(fn);
        return TracedFunction.of(r.name(), args -> new Tensor[] {(Tensor) invoke(r.handle(), args)});
    }

    /** A traced function of two tensors, its method converted. */
    public static TracedFunction binary(BinaryTensorFunction fn) {
        ConvertedMethods.Resolved r = ConvertedMethods.resolve(fn);
        return TracedFunction.of(r.name(), args -> new Tensor[] {(Tensor) invoke(r.handle(), args)});
    }

    /** A traced function of several tensors with several results, its method converted. */
    public static TracedFunction function(TensorArrayFunction fn) {
        ConvertedMethods.Resolved r = ConvertedMethods.resolve(fn);
        return TracedFunction.of(r.name(), args -> (Tensor[]) invoke(r.handle(), new Object[] {args}));
    }

    /**
     * {@link #unary(UnaryTensorFunction)} for code in a named module (or another class loader): {@code caller} is
     * {@code MethodHandles.lookup()} called in the class that defines {@code fn}, which lets the converted code reach
     * that class's private members as the original does.
     */
    public static TracedFunction unary(MethodHandles.Lookup caller, UnaryTensorFunction fn) {
        ConvertedMethods.Resolved r = ConvertedMethods.resolve(fn, caller);
        return TracedFunction.of(r.name(), args -> new Tensor[] {(Tensor) invoke(r.handle(), args)});
    }

    /** {@link #binary(BinaryTensorFunction)} with the caller's lookup (see {@link #unary(MethodHandles.Lookup, UnaryTensorFunction)}). */
    public static TracedFunction binary(MethodHandles.Lookup caller, BinaryTensorFunction fn) {
        ConvertedMethods.Resolved r = ConvertedMethods.resolve(fn, caller);
        return TracedFunction.of(r.name(), args -> new Tensor[] {(Tensor) invoke(r.handle(), args)});
    }

    /** {@link #function(TensorArrayFunction)} with the caller's lookup (see {@link #unary(MethodHandles.Lookup, UnaryTensorFunction)}). */
    public static TracedFunction function(MethodHandles.Lookup caller, TensorArrayFunction fn) {
        ConvertedMethods.Resolved r = ConvertedMethods.resolve(fn, caller);
        return TracedFunction.of(r.name(), args -> (Tensor[]) invoke(r.handle(), new Object[] {args}));
    }

    /**
     * The converted function itself, not traced: eagerly it behaves as {@code fn}; inside a trace (a
     * {@link TracedFunction}, a graph being built) it adds Cond/While nodes. For calling converted code from another
     * traced function, e.g. under a {@code GradientTape} opened there.
     */
    public static UnaryTensorFunction convertUnary(UnaryTensorFunction fn) {
        MethodHandle h = ConvertedMethods.resolve(fn).handle();
        return x -> (Tensor) invoke(h, new Object[] {x});
    }

    /** {@link #convertUnary} for two tensors. */
    public static BinaryTensorFunction convertBinary(BinaryTensorFunction fn) {
        MethodHandle h = ConvertedMethods.resolve(fn).handle();
        return (x, y) -> (Tensor) invoke(h, new Object[] {x, y});
    }

    /** {@link #convertUnary} for several tensors in and out. */
    public static TensorArrayFunction convert(TensorArrayFunction fn) {
        MethodHandle h = ConvertedMethods.resolve(fn).handle();
        return args -> (Tensor[]) invoke(h, new Object[] {args});
    }

    private static Object invoke(MethodHandle h, Object[] args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
