package org.nabla.distributed.master;

import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.device.DeviceSpec;

/**
 * A device of another task as the master sees it (from the task's GetStatus): a name and a kernel type to place nodes
 * on. It holds no memory here: the task's worker runs the nodes placed on it.
 */
public record RemoteDevice(String name, String type, int index, long incarnation) implements Device {
    /** The device {@code name} of kind {@code type} on the task of incarnation {@code incarnation}. */
    public static RemoteDevice of(String name, String type, long incarnation) {
        DeviceSpec s = DeviceSpec.parse(name);
        if (!s.isFullySpecified()) throw new IllegalArgumentException("remote device name '" + name + "' is partial");
        if (!s.type().equals(type)) {
            throw new IllegalArgumentException("remote device '" + name + "' reports type " + type);
        }
        return new RemoteDevice(name, type, s.index(), incarnation);
    }

    @Override
    public Object allocate(DType.Storage storage, int length) { throw remote(); }

    @Override
    public Tensor copyToHost(Tensor t) { throw remote(); }

    @Override
    public Tensor copyFromHost(Tensor host) { throw remote(); }

    private UnsupportedOperationException remote() {
        return new UnsupportedOperationException(name + " is a device of another process; its worker runs the "
                + "nodes placed on it");
    }

    @Override public String toString() { return name; }
}
