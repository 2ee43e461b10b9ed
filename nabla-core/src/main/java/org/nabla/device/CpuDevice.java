package org.nabla.device;

/** The host CPU: tensors are Java arrays on the heap, kernels are pure Java. */
public final class CpuDevice implements Device {
    public static final String TYPE = "CPU";
    /** The process's CPU device; all cores are one device, as in TensorFlow. */
    public static final CpuDevice INSTANCE = new CpuDevice();

    private CpuDevice() {}

    @Override public String name() { return "/job:localhost/replica:0/task:0/device:CPU:0"; }
    @Override public String type() { return TYPE; }
    @Override public int index() { return 0; }
    @Override public String toString() { return name(); }
}
