package org.nabla.runtime;

import java.util.ArrayList;
import java.util.List;
import org.nabla.device.Device;
import org.nabla.runtime.optimize.OptimizerOptions;

/**
 * How a {@link Session} runs: which devices it declares, the execution mode, the inter-op pool size, and the graph
 * optimizer's options. Immutable; change a field with the {@code withX} style methods:
 * {@code SessionOptions.defaults().cpuDevices(2).mode(ExecutionMode.SERIAL)}.
 *
 * @param cpuDevices        number of CPU devices {@code CPU:0..n-1} (they share the host; more than one is useful
 *                          to place and partition a graph in one process)
 * @param mode              parallel, serial or deterministic execution
 * @param interOpThreads    threads that run ready nodes in parallel mode (0: the process-wide pool shared by all
 *                          sessions, one thread per core; n: a pool of n threads of the session's own)
 * @param optimizerOptions  which graph optimization passes run before execution (null: all of them,
 *                          {@link OptimizerOptions#DEFAULT}; NONE turns them off)
 * @param devices           devices of other types the session may place nodes on, after the CPUs (a device module's,
 *                          e.g. a GPU); nodes go there when their device scope asks for them
 */
public record SessionOptions(int cpuDevices, ExecutionMode mode, int interOpThreads, OptimizerOptions optimizerOptions,
                             List<Device> devices) {
    /** Checks the options: at least one CPU device, interOpThreads at least 0, a mode. */
    public SessionOptions {
        if (cpuDevices < 1) throw new IllegalArgumentException("a session needs at least 1 CPU device, got "
                + cpuDevices);
        if (interOpThreads < 0) throw new IllegalArgumentException("interOpThreads must be >= 0, got "
                + interOpThreads);
        if (mode == null) throw new IllegalArgumentException("mode is null");
        devices = List.copyOf(devices);
    }

    /** One CPU device, parallel execution, one inter-op thread per core, default optimizations. */
    public static SessionOptions defaults() {
        return new SessionOptions(1, ExecutionMode.PARALLEL, 0, null, List.of());
    }

    /** These options with {@code n} CPU devices ({@code CPU:0..n-1}). */
    public SessionOptions cpuDevices(int n) {
        return new SessionOptions(n, mode, interOpThreads, optimizerOptions, devices);
    }

    /** These options with execution mode {@code m} (DETERMINISTIC: reproducible order of stateful ops). */
    public SessionOptions mode(ExecutionMode m) {
        return new SessionOptions(cpuDevices, m, interOpThreads, optimizerOptions, devices);
    }

    /** These options with {@code n} inter-op threads (0: the shared pool, one thread per core). */
    public SessionOptions interOpThreads(int n) {
        return new SessionOptions(cpuDevices, mode, n, optimizerOptions, devices);
    }

    /** These options with graph optimizer options {@code o} (null: all passes; NONE: no pass). */
    public SessionOptions optimizerOptions(OptimizerOptions o) {
        return new SessionOptions(cpuDevices, mode, interOpThreads, o, devices);
    }

    /** These options with {@code device} added to the devices nodes may be placed on. */
    public SessionOptions addDevice(Device device) {
        if (device == null) throw new IllegalArgumentException("device is null");
        if (device.sharesHostMemory()) {
            throw new IllegalArgumentException("add CPU devices with cpuDevices(n), not addDevice(" + device + ")");
        }
        List<Device> more = new ArrayList<>(devices);
        if (more.contains(device)) throw new IllegalArgumentException("device " + device + " is added twice");
        more.add(device);
        return new SessionOptions(cpuDevices, mode, interOpThreads, optimizerOptions, more);
    }

    /** The pool size parallel mode uses. */
    int effectiveInterOpThreads() {
        return interOpThreads > 0 ? interOpThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
