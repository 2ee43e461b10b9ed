package org.nabla.kernels;

import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;

/**
 * Everything one kernel call may use (TensorFlow's OpKernelContext): its inputs, resolved attributes and inferred
 * output specs, the device it runs on, where its outputs' memory comes from, the run's variables, rendezvous, step id
 * and cancellation, and a way to call other ops and function graphs. The eager context and the graph executor each
 * implement it, so a kernel never needs to know which of them runs it and never reads a thread-local.
 */
public interface KernelContext {
    /** The op being computed. */
    OpDef op();

    /** Input {@code i}, on {@link #device()} (dense unless the kernel was registered as accepting views). */
    Tensor input(int i);

    /** All inputs; the array is the context's own, kernels must not modify it. */
    Tensor[] inputs();

    int inputCount();

    /** The attributes, with the op's declared defaults filled in. */
    Attrs attrs();

    /** The inferred dtype and shape of output {@code i}. */
    TensorSpec outputSpec(int i);

    /** All inferred output specs; the array is the context's own, kernels must not modify it. */
    TensorSpec[] outputSpecs();

    /** The device this call runs on. */
    Device device();

    /**
     * Memory for a result of {@code length} elements of {@code storage} whose contents are undefined: the kernel must
     * write every element (kernels that accumulate into zeros allocate with {@code new} instead). Inside an eager
     * {@code TensorScope} it may be a released buffer still warm in the caches.
     */
    Object allocate(DType.Storage storage, int length);

    /** {@link #allocate} for float32 storage. */
    default float[] allocateFloats(int length) { return (float[]) allocate(DType.Storage.FLOAT, length); }

    /** {@link #allocate} for float64 storage. */
    default double[] allocateDoubles(int length) { return (double[]) allocate(DType.Storage.DOUBLE, length); }

    /** True when {@link #allocate} may hand out recycled buffers for this call. */
    boolean reusesBuffers();

    /** The variables of the run (a session's, or the process's eager ones). */
    ResourceManager resources();

    /**
     * The value of variable {@code name}, for a kernel that returns it as an output (ReadVariable). In a graph run
     * the value is lent to the run until every node reading it ran, so that a later update may write it in place;
     * elsewhere (eager calls) it is handed out for good ({@link ResourceManager#read}).
     */
    default Tensor readVariable(String name) { return resources().read(name); }

    /**
     * Declares that this kernel returns {@code value}, the value it just stored in variable {@code name}, as an
     * output: it is lent like a {@link #readVariable} result, so the output's readers see it unchanged.
     */
    default void lendVariable(String name, Tensor value) { resources().share(name, value); }

    /** The rendezvous of the run; fails with a clear message where there is none (eager calls). */
    Rendezvous rendezvous();

    /** The id of the step (session run) this call belongs to; 0 for eager calls. */
    long stepId();

    /** True once the run this call belongs to has failed or was aborted: long kernels (loops) stop early. */
    boolean isCancelled();

    /**
     * Runs {@code op} on {@code inputs} with this call's device, variables, rendezvous and step: for composite kernels
     * built from other kernels. Inputs must be on this device.
     */
    Tensor[] call(OpDef op, Attrs attrs, Tensor... inputs);

    /** Calls a function graph (a control-flow branch or loop body) on concrete arguments within this run. */
    Tensor[] callFunction(GraphFunction function, Tensor... args);

    /**
     * {@link #callFunction(GraphFunction, Tensor...)} for iteration {@code iteration} of a loop (0 outside loops): the
     * iteration becomes part of the rendezvous keys of the call's transfers between devices, next to a frame id
     * unique to the call.
     */
    default Tensor[] callFunction(GraphFunction function, long iteration, Tensor... args) {
        return callFunction(function, args);
    }
}
