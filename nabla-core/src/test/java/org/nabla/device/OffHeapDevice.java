package org.nabla.device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.storage.Strided;

/**
 * A second device type for tests only, proving the device seam: its tensors live in off-heap {@link MemorySegment}s
 * (as a GPU's live in device memory), so nothing but its own copies can read them, and its kernels
 * ({@link OffHeapKernels}) copy their inputs to the host, run the CPU kernel and copy the results back.
 */
public final class OffHeapDevice implements Device {
    public static final String TYPE = "OFFHEAP";
    public static final OffHeapDevice INSTANCE = new OffHeapDevice();

    private OffHeapDevice() {}

    @Override public String name() { return "/job:localhost/replica:0/task:0/device:OFFHEAP:0"; }
    @Override public String type() { return TYPE; }
    @Override public int index() { return 0; }
    @Override public String toString() { return name(); }

    @Override
    public Object allocate(DType.Storage storage, int length) {
        ValueLayout layout = layout(storage);
        return Arena.ofAuto().allocate(layout.byteSize() * length, layout.byteAlignment());
    }

    @Override
    public Tensor copyToHost(Tensor t) {
        if (t.device() != this) throw new IllegalArgumentException("copyToHost: " + t.spec() + " is on " + t.device());
        MemorySegment segment = (MemorySegment) t.data();
        int n = t.shape().intSize();
        Object array = Strided.allocate(t.dtype().storage(), n);
        copy(segment, array, n, t.dtype().storage(), false);
        return Tensor.wrap(t.dtype(), t.shape(), array);
    }

    @Override
    public Tensor copyFromHost(Tensor host) {
        if (!host.device().sharesHostMemory() || !host.isDenseFromZero()) {
            throw new IllegalArgumentException("copyFromHost needs a dense host tensor, got " + host.spec() + " on "
                    + host.device());
        }
        int n = host.shape().intSize();
        MemorySegment segment = (MemorySegment) allocate(host.dtype().storage(), n);
        copy(segment, host.data(), n, host.dtype().storage(), true);
        return Tensor.onDevice(host.dtype(), host.shape(), this, segment);
    }

    private static void copy(MemorySegment segment, Object array, int n, DType.Storage storage, boolean toSegment) {
        ValueLayout layout = layout(storage);
        if (toSegment) {
            MemorySegment.copy(array, 0, segment, layout, 0, n);
        } else {
            MemorySegment.copy(segment, layout, 0, array, 0, n);
        }
    }

    private static ValueLayout layout(DType.Storage storage) {
        return switch (storage) {
            case FLOAT -> ValueLayout.JAVA_FLOAT;
            case DOUBLE -> ValueLayout.JAVA_DOUBLE;
            case INT -> ValueLayout.JAVA_INT;
            case LONG -> ValueLayout.JAVA_LONG;
            case BYTE -> ValueLayout.JAVA_BYTE;
            case SHORT -> ValueLayout.JAVA_SHORT;
            case STRING -> throw new UnsupportedOperationException("string tensors stay on the heap");
            case COMPLEX64, COMPLEX128 -> throw new UnsupportedOperationException("complex tensors stay on the heap");
        };
    }
}
