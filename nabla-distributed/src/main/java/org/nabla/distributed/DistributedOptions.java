package org.nabla.distributed;

import java.time.Duration;
import org.nabla.runtime.ExecutionMode;

/**
 * Limits and timings of the distributed runtime. Immutable; change a field with the {@code withX} methods:
 * {@code DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(2))}.
 *
 * @param rpcTimeout      deadline of every control RPC (GetStatus, RegisterGraph, CleanupGraph, Abort...)
 * @param stepTimeout     deadline of a whole step: RunStep, each task's RunGraph and every RecvTensor of the step
 * @param maxTensorBytes  the largest tensor (element bytes) a process accepts from the network; a message claiming
 *                        more is refused before anything is allocated
 * @param chunkBytes      RecvTensor streams a tensor's bytes in chunks of this size
 * @param maxMessageBytes the largest single gRPC message (feeds and fetches travel inline in RunStep and RunGraph)
 * @param mode            how each worker runs its partitions' ready nodes
 * @param ringSockets     the ring all-reduce sends its chunks over raw TCP connections between ring neighbours
 *                        ({@link org.nabla.distributed.collective.RingSockets}, the default); false: as gRPC
 *                        SendChunk messages (slower, the fallback).
 *                        With TLS on the all-reduce always goes over gRPC (TLS), whatever this says: the raw
 *                        connections are not encrypted
 * @param security        TLS and the shared token ({@link Security#none()}: plaintext, no token)
 */
public record DistributedOptions(Duration rpcTimeout, Duration stepTimeout, long maxTensorBytes, int chunkBytes,
                                 int maxMessageBytes, ExecutionMode mode, boolean ringSockets, Security security) {
    public DistributedOptions {
        if (rpcTimeout == null || rpcTimeout.isNegative() || rpcTimeout.isZero()) {
            throw new IllegalArgumentException("rpcTimeout must be positive, got " + rpcTimeout);
        }
        if (stepTimeout == null || stepTimeout.isNegative() || stepTimeout.isZero()) {
            throw new IllegalArgumentException("stepTimeout must be positive, got " + stepTimeout);
        }
        if (maxTensorBytes <= 0) throw new IllegalArgumentException("maxTensorBytes must be > 0, got " + maxTensorBytes);
        if (chunkBytes < 1024) throw new IllegalArgumentException("chunkBytes must be >= 1024, got " + chunkBytes);
        if (maxMessageBytes < 2 * chunkBytes) {
            throw new IllegalArgumentException("maxMessageBytes (" + maxMessageBytes + ") must be at least twice "
                    + "chunkBytes (" + chunkBytes + ")");
        }
        if (mode == null) throw new IllegalArgumentException("mode is null");
        if (security == null) throw new IllegalArgumentException("security is null (Security.none() for none)");
    }

    /** Whether the all-reduce uses the raw ring sockets: asked for, and TLS off (the sockets are not encrypted). */
    public boolean useRingSockets() { return ringSockets && !security.tls(); }

    /**
     * 10 s per control RPC, 10 min per step, tensors up to 1 GiB in 1 MiB chunks, messages up to 256 MiB; plaintext,
     * no token.
     */
    public static DistributedOptions defaults() {
        return new DistributedOptions(Duration.ofSeconds(10), Duration.ofMinutes(10), 1L << 30, 1 << 20, 256 << 20,
                ExecutionMode.PARALLEL, true, Security.none());
    }

    public DistributedOptions rpcTimeout(Duration d) {
        return new DistributedOptions(d, stepTimeout, maxTensorBytes, chunkBytes, maxMessageBytes, mode, ringSockets,
                security);
    }

    public DistributedOptions stepTimeout(Duration d) {
        return new DistributedOptions(rpcTimeout, d, maxTensorBytes, chunkBytes, maxMessageBytes, mode, ringSockets,
                security);
    }

    public DistributedOptions maxTensorBytes(long n) {
        return new DistributedOptions(rpcTimeout, stepTimeout, n, chunkBytes, maxMessageBytes, mode, ringSockets,
                security);
    }

    public DistributedOptions chunkBytes(int n) {
        return new DistributedOptions(rpcTimeout, stepTimeout, maxTensorBytes, n, maxMessageBytes, mode, ringSockets,
                security);
    }

    public DistributedOptions maxMessageBytes(int n) {
        return new DistributedOptions(rpcTimeout, stepTimeout, maxTensorBytes, chunkBytes, n, mode, ringSockets,
                security);
    }

    public DistributedOptions mode(ExecutionMode m) {
        return new DistributedOptions(rpcTimeout, stepTimeout, maxTensorBytes, chunkBytes, maxMessageBytes, m,
                ringSockets, security);
    }

    public DistributedOptions ringSockets(boolean on) {
        return new DistributedOptions(rpcTimeout, stepTimeout, maxTensorBytes, chunkBytes, maxMessageBytes, mode, on,
                security);
    }

    public DistributedOptions security(Security s) {
        return new DistributedOptions(rpcTimeout, stepTimeout, maxTensorBytes, chunkBytes, maxMessageBytes, mode,
                ringSockets, s);
    }
}
