package org.nabla.device;

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
}
