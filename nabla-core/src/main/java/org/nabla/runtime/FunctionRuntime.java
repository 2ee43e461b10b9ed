package org.nabla.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.graph.FuncGraph;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * The function runtime of one session, or of one master session on a worker (TensorFlow's
 * ProcessFunctionLibraryRuntime): it runs the function graphs that kernels call inside its steps (control-flow
 * branches and loop bodies) over the session's devices and those of the other tasks ({@link RemoteTasks}). Each
 * function is instantiated once per caller device as a {@link MultiDeviceFunction}: placed with the caller's device as
 * the default, split by task and by device, the other tasks' shares registered with them; each call then runs every
 * share with Send/Recv between them in a frame of its own, and the caller waits for all of them.
 *
 * <p>Thread-safe; instances are cached while their function graph lives (weakly, like the graphs themselves).
 */
public final class FunctionRuntime {
    private final List<Device> devices;
    private final RemoteTasks remote;
    private final OptimizerOptions passes;
    private final Map<FuncGraph, Map<Device, MultiDeviceFunction>> instances =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * A runtime over this process's {@code devices} (the caller's device is always one of them) and the tasks of
     * {@code remote} ({@link RemoteTasks#NONE} for a session), optimizing each function with {@code passes} (null:
     * every pass).
     */
    public FunctionRuntime(List<Device> devices, RemoteTasks remote, OptimizerOptions passes) {
        if (devices == null || devices.isEmpty()) throw new IllegalArgumentException("FunctionRuntime: no devices");
        if (remote == null) throw new IllegalArgumentException("FunctionRuntime: remote is null (use RemoteTasks.NONE)");
        this.devices = List.copyOf(devices);
        this.remote = remote;
        this.passes = passes == null ? OptimizerOptions.DEFAULT : passes;
    }

    /** The devices of this process. */
    public List<Device> devices() { return devices; }

    /** Runs {@code f} on {@code args} for a kernel of step {@code caller} running on {@code callerDevice}. */
    Tensor[] call(FuncGraph f, Tensor[] args, Step caller, Device callerDevice, long iteration) {
        return instance(f, callerDevice).call(args, caller, iteration);
    }

    /** The instance of {@code f} for calls from {@code callerDevice}, made now if missing or stale. */
    MultiDeviceFunction instance(FuncGraph f, Device callerDevice) {
        // one lock for the whole runtime: instantiating may register parts with other tasks (remote calls), which
        // must happen once per function; it happens only on first use
        synchronized (this) {
            Map<Device, MultiDeviceFunction> byCaller = instances.computeIfAbsent(f, k -> new HashMap<>());
            MultiDeviceFunction m = byCaller.get(callerDevice);
            if (m == null || !m.isCurrent()) {
                List<Device> ordered = new ArrayList<>();
                ordered.add(callerDevice);
                for (Device d : devices) if (!d.equals(callerDevice)) ordered.add(d);
                ordered.addAll(remote.devices());
                m = MultiDeviceFunction.prepare(f, ordered, devices, remote, passes);
                byCaller.put(callerDevice, m);
            }
            return m;
        }
    }
}
