package org.nabla.ops;

/**
 * Ops that move a tensor between devices: the partitioner replaces each edge that crosses devices with a
 * {@code Send} on the producer's device and a {@code Recv} on the consumer's, which meet in the run's
 * {@link org.nabla.kernels.Rendezvous} under a key built from the attributes. Stateful: passes never fold, merge or
 * drop them. They are added by the runtime, not called by users.
 */
public final class TransferOps {
    private TransferOps() {}

    public static final OpDef SEND = OpDef.builder("Send").inputs("tensor")
            .attr("tensorName", AttrType.STRING)
            .attr("sendDevice", AttrType.STRING)
            .attr("recvDevice", AttrType.STRING)
            .shape((in, a) -> new TensorSpec[0])
            .stateful().notDifferentiable().internal()
            .summary("hands tensor to the rendezvous under the key (sendDevice, recvDevice, tensorName)").build();

    public static final OpDef RECV = OpDef.builder("Recv")
            .attr("tensorName", AttrType.STRING)
            .attr("sendDevice", AttrType.STRING)
            .attr("recvDevice", AttrType.STRING)
            .attr("dtype", AttrType.DTYPE)
            .attr("shape", AttrType.SHAPE)
            .kernelDTypeFromAttr("dtype")
            .shape((in, a) -> Infer.one(a.getDType("dtype"), a.getShape("shape")))
            .stateful().notDifferentiable().internal()
            .summary("the tensor a Send with the same key handed to the rendezvous (waits for it)").build();
}
