package org.nabla.device;

import org.nabla.DType;
import org.nabla.Tensor;

/**
 * A place where tensors live and kernels run, named the way TensorFlow names devices
 * ({@code /job:localhost/replica:0/task:0/device:CPU:0}). A device type ("CPU", later "GPU") selects the kernels; the
 * device owns its tensors' memory: it allocates it for kernels and copies tensors to and from the host, which is
 * how {@link Tensor#to} and the executor move values between devices. See docs/design.md, "Adding a device".
 */
public interface Device {
    /** The full TensorFlow-style name. */
    String name();

    /** The kernel family this device runs: {@code CPU}, {@code GPU}... */
    String type();

    /** The index among devices of the same type in this process. */
    int index();

    /**
     * Memory for {@code length} elements of {@code storage}, in the form this device's tensors hold it (the CPU: a
     * Java array). Contents are unspecified; kernels write every element.
     */
    Object allocate(DType.Storage storage, int length);

    /**
     * True when this device's tensors are host Java arrays (every CPU device): values move between two such devices
     * without a copy.
     */
    default boolean sharesHostMemory() { return false; }

    /** A host (CPU) copy of {@code t}, a tensor on this device. */
    Tensor copyToHost(Tensor t);

    /** A copy on this device of {@code host}, a dense CPU tensor. */
    Tensor copyFromHost(Tensor host);
}
