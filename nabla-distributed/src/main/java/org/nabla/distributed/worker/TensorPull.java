package org.nabla.distributed.worker;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.rpc.TensorWire;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import org.nabla.Tensor;
import org.nabla.distributed.proto.RecvTensorRequest;
import org.nabla.distributed.proto.RecvTensorResponse;
import org.nabla.distributed.proto.WorkerServiceGrpc;

/**
 * The receiving side of RecvTensor: asks the producing worker for one key of one step and reassembles the streamed
 * chunks ({@link TensorWire.Assembler}, which refuses a stream announcing more than the limit before allocating).
 */
final class TensorPull {
    private TensorPull() {}

    /** A pull in flight: its result, and how to cancel it. */
    record Pending(CompletableFuture<Tensor> result, Context.CancellableContext context) {
        void cancel(Throwable cause) {
            context.cancel(cause);
            result.completeExceptionally(cause);
        }
    }

    /**
     * Starts pulling {@code key} of step {@code stepId} from {@code producer} (a task name, for messages) at
     * {@code address} over {@code channel}; fails by {@code deadline}.
     */
    static Pending start(ManagedChannel channel, String producer, String address, long incarnation, long stepId,
                         String key, Deadline deadline, long maxTensorBytes) {
        CompletableFuture<Tensor> result = new CompletableFuture<>();
        Context.CancellableContext ctx = Context.current().withCancellation();
        RecvTensorRequest req = RecvTensorRequest.newBuilder().setStepId(stepId).setRendezvousKey(key)
                .setWorkerIncarnation(incarnation).build();
        String what = "RecvTensor of '" + key + "' (step " + stepId + ") from task " + producer + " at " + address;
        ctx.run(() -> WorkerServiceGrpc.newStub(channel).withDeadline(deadline).recvTensor(req,
                new StreamObserver<>() {
                    private final TensorWire.Assembler assembler = new TensorWire.Assembler(maxTensorBytes);
                    private boolean failed;

                    @Override
                    public void onNext(RecvTensorResponse r) {
                        if (failed) return;
                        try {
                            assembler.add(r.getTotalBytes(), r.getChunk().asReadOnlyByteBuffer());
                        } catch (RuntimeException e) {
                            failed = true;
                            result.completeExceptionally(new DistributedException(what + " refused: "
                                    + e.getMessage(), e));
                            ctx.cancel(e); // stop the stream: nothing more of it is wanted
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (!failed) result.completeExceptionally(new DistributedException(what + " failed: "
                                + Rpc.message(t), t));
                    }

                    @Override
                    public void onCompleted() {
                        if (failed) return;
                        try {
                            result.complete(assembler.finish());
                        } catch (RuntimeException e) {
                            result.completeExceptionally(new DistributedException(what + " refused: "
                                    + e.getMessage(), e));
                        }
                    }
                }));
        result.whenComplete((t, e) -> ctx.close());
        return new Pending(result, ctx);
    }
}
