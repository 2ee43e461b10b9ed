package org.nabla.device;

import org.nabla.DType;

/**
 * A place where tensors live and kernels run, named the way TensorFlow names devices
 * ({@code /job:localhost/replica:0/task:0/device:CPU:0}). A device type ("CPU", later "GPU") selects the kernels.
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
}
