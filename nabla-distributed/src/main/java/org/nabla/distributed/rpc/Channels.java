package org.nabla.distributed.rpc;

import org.nabla.distributed.DistributedOptions;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, opened on first use and shared by every call to that peer (a channel multiplexes
 * calls over one HTTP/2 connection and reconnects by itself). Plaintext for now; TLS comes with the security work.
 */
public final class Channels implements AutoCloseable {
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final DistributedOptions options;
    private volatile boolean closed;

    public Channels(DistributedOptions options) { this.options = options; }

    public DistributedOptions options() { return options; }

    /** The channel to {@code host:port}. */
    public ManagedChannel get(String address) {
        if (closed) throw new IllegalStateException("channels are closed");
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a)
                .usePlaintext()
                .maxInboundMessageSize(options.maxMessageBytes())
                .build());
    }

    @Override
    public void close() {
        closed = true;
        for (ManagedChannel c : channels.values()) c.shutdownNow();
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
