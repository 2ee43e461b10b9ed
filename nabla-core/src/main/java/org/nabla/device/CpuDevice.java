package org.nabla.device;

import java.util.concurrent.ConcurrentHashMap;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.storage.Strided;

/**
 * The host CPU: tensors are Java arrays on the heap, kernels are pure Java. All cores form one device, as in
 * TensorFlow; a session may still declare several CPU devices ({@code CPU:0}, {@code CPU:1}...) to test placement and
 * partitioning in one process. They share the heap and run the same kernels, so tensors need no copy between them.
 */
public final class CpuDevice implements Device {
    public static final String TYPE = "CPU";
    /** The process's CPU device, {@code CPU:0}. */
    public static final CpuDevice INSTANCE = new CpuDevice(0);

    /** Every CPU device made so far, by full name: one object per name. */
    private static final ConcurrentHashMap<String, CpuDevice> BY_NAME = new ConcurrentHashMap<>();

    static {
        BY_NAME.put(INSTANCE.name, INSTANCE);
    }

    private final int index;
    private final String name;

    private CpuDevice(int index) { this("localhost", 0, index); }

    private CpuDevice(String job, int task, int index) {
        this.index = index;
        this.name = "/job:" + job + "/replica:0/task:" + task + "/device:CPU:" + index;
    }

    /** The CPU device with this index ({@code of(0)} is {@link #INSTANCE}); the same object every time. */
    public static CpuDevice of(int index) { return forTask("localhost", 0, index); }

    /**
     * The CPU device {@code index} of task {@code task} of job {@code job}, named
     * {@code /job:JOB/replica:0/task:TASK/device:CPU:INDEX}: how a process of a cluster (a worker task) names its own
     * CPU, so that placement and rendezvous keys tell it apart from the CPUs of the other tasks. The same object
     * every time; {@code forTask("localhost", 0, i)} is {@link #of(int) of(i)}.
     */
    public static CpuDevice forTask(String job, int task, int index) {
        if (index < 0) throw new IllegalArgumentException("CPU device index must be >= 0, got " + index);
        if (task < 0) throw new IllegalArgumentException("task index must be >= 0, got " + task);
        if (job == null || !job.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("bad job name '" + job + "' (letters, digits, '_', '.', '-')");
        }
        String key = "/job:" + job + "/replica:0/task:" + task + "/device:CPU:" + index;
        return BY_NAME.computeIfAbsent(key, k -> new CpuDevice(job, task, index));
    }

    @Override public String name() { return name; }
    @Override public String type() { return TYPE; }
    @Override public int index() { return index; }
    @Override public Object allocate(DType.Storage storage, int length) { return Strided.allocate(storage, length); }

    @Override public boolean sharesHostMemory() { return true; }

    /** CPU tensors are host tensors already. */
    @Override public Tensor copyToHost(Tensor t) { return t; }

    /** Host tensors are CPU tensors already (all CPU devices share the heap). */
    @Override public Tensor copyFromHost(Tensor host) { return host; }

    @Override public String toString() { return name; }
}
