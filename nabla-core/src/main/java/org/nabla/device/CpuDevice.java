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

    private static final ConcurrentHashMap<Integer, CpuDevice> BY_INDEX = new ConcurrentHashMap<>();

    static {
        BY_INDEX.put(0, INSTANCE);
    }

    private final int index;
    private final String name;

    private CpuDevice(int index) {
        this.index = index;
        this.name = "/job:localhost/replica:0/task:0/device:CPU:" + index;
    }

    /** The CPU device with this index ({@code of(0)} is {@link #INSTANCE}); the same object every time. */
    public static CpuDevice of(int index) {
        if (index < 0) throw new IllegalArgumentException("CPU device index must be >= 0, got " + index);
        return BY_INDEX.computeIfAbsent(index, CpuDevice::new);
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
