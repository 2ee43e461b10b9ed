package org.nabla.kernels;

import java.util.concurrent.CompletableFuture;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;

/**
 * Where a Send and its Recv meet: the sender hands a tensor over under a key, the receiver gets a future of it. One
 * rendezvous serves one run (a step). The runtime's LocalRendezvous is the in-process one; the distributed runtime
 * plugs in an implementation that forwards keys whose devices live in other processes.
 */
public interface Rendezvous {
    /** Hands {@code value} over under {@code key}; each key is sent once per run. */
    void send(String key, Tensor value);

    /** The value sent under {@code key}, now or later; fails if the run is aborted first. */
    CompletableFuture<Tensor> recv(String key);

    /** Fails every pending and later {@link #recv} with {@code cause} (a run failed elsewhere). */
    void abort(Throwable cause);

    /**
     * The key of a transfer, as TensorFlow builds it: {@code sendDevice;recvDevice;tensorName;frame} where the frame
     * ({@code frameId:iteration}) is {@code 0:0} outside loops.
     */
    static String key(String sendDevice, String recvDevice, String tensorName, String frame) {
        return sendDevice + ";" + recvDevice + ";" + tensorName + ";" + frame;
    }

    /** The key of a Send or Recv node from its attributes. */
    static String key(Attrs attrs) {
        return key(attrs.getString("sendDevice"), attrs.getString("recvDevice"), attrs.getString("tensorName"), "0:0");
    }

    /**
     * A view of {@code base} for one call of a multi-device function: every key's frame becomes {@code frame}
     * ({@code frameId:iteration}), so the Send/Recv pairs of different calls (loop iterations, branches taken, nested
     * calls) that share one step's rendezvous never meet. Aborting the view aborts {@code base}.
     */
    static Rendezvous inFrame(Rendezvous base, String frame) { return FramedRendezvous.of(base, frame); }
}
