package org.nabla;

import java.util.concurrent.atomic.AtomicLong;
import org.nabla.ops.Attrs;
import org.nabla.ops.StateOps;

/**
 * A named, mutable tensor slot, the way model weights are held: tensors stay immutable, a variable points at a new
 * one after each assignment. {@link #read()} is an op ({@code ReadVariable}), so gradient tapes, graphs and traced
 * functions see every use. Eagerly the value lives in the process-wide resource manager; a variable read inside a
 * graph is resolved by the Session (or the traced function) that runs it.
 */
public final class Variable {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final String name;
    private final DType dtype;
    private final Shape shape;
    private final boolean trainable;

    private Variable(String name, DType dtype, Shape shape, boolean trainable) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.trainable = trainable;
    }

    /** An eager variable holding {@code initial} (a tensor or Java value), with a unique generated name. */
    public static Variable of(Object initial) { return of("Variable", initial, true); }

    /**
     * An eager variable named {@code base} (made unique with a numeric suffix) holding {@code initial}.
     */
    public static Variable of(String base, Object initial, boolean trainable) {
        Tensor value = Tensors.convert(initial);
        if (value.isSymbolic()) {
            throw new IllegalArgumentException("Variable.of needs a concrete initial value; in a graph use "
                    + "Variable.declare and assign it with an initializer");
        }
        Variable v = declare(base, value.dtype(), value.shape(), trainable);
        ResourceManager.eager().assign(v.name, value);
        return v;
    }

    /** A variable of the given dtype and shape with no value yet (graph mode: assign it with an initializer). */
    public static Variable declare(String base, DType dtype, Shape shape, boolean trainable) {
        return new Variable(base + "_" + COUNTER.incrementAndGet(), dtype, shape, trainable);
    }

    /** The variable's name (unique in its graph or resource manager). */
    public String name() { return name; }

    /** The element type of its value. */
    public DType dtype() { return dtype; }

    /** The shape of its value; assignments must keep it. */
    public Shape shape() { return shape; }

    /** Whether optimizers and gradient tapes treat it as a weight to train. */
    public boolean trainable() { return trainable; }

    /** The current value (an op: recorded by tapes and graphs). */
    public Tensor read() {
        return Ops.run(StateOps.READ_VARIABLE, Attrs.of("name", name, "dtype", dtype, "shape", shape));
    }

    /** Stores {@code value} (same dtype and shape) and returns it. */
    public Tensor assign(Object value) {
        Tensor t = Tensors.convert(value, dtype);
        if (!t.shape().isCompatibleWith(shape)) {
            throw new IllegalArgumentException("variable '" + name + "' has shape " + shape + ", cannot assign "
                    + t.shape());
        }
        return Ops.run(StateOps.ASSIGN_VARIABLE, Attrs.of("name", name), t);
    }

    /**
     * Adds {@code delta} (a Tensor or Java value of the variable's shape, converted to its dtype); returns the new
     * value.
     */
    public Tensor assignAdd(Object delta) {
        return Ops.run(StateOps.ASSIGN_ADD_VARIABLE, Attrs.of("name", name), Tensors.convert(delta, dtype));
    }

    /** Subtracts {@code delta} from the value; returns the new value. */
    public Tensor assignSub(Object delta) {
        return Ops.run(StateOps.ASSIGN_SUB_VARIABLE, Attrs.of("name", name), Tensors.convert(delta, dtype));
    }

    /**
     * Subtracts {@code alpha * delta} in one pass (the plain SGD update, TensorFlow's ResourceApplyGradientDescent);
     * alpha is a scalar. Returns the new value.
     */
    public Tensor applyGradientDescent(Object alpha, Object delta) {
        return Ops.run(StateOps.APPLY_GRADIENT_DESCENT, Attrs.of("name", name), Tensors.convert(alpha, dtype),
                Tensors.convert(delta, dtype));
    }

    @Override
    public String toString() { return "Variable '" + name + "' shape=" + shape + " dtype=" + dtype; }
}
