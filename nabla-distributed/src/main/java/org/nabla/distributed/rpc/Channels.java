package org.nabla.distributed.rpc;

import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.Security;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per peer address, opened on first use and shared by every call to that peer (a channel multiplexes
 * calls over one HTTP/2 connection and reconnects by itself). Every channel of the runtime is made by {@link #open}:
 * TLS and the token as the options' {@link Security} says, and the options' message size limit.
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
        return channels.computeIfAbsent(address, a -> open(a, options));
    }

    /**
     * A new channel to {@code host:port} with the options' transport security, token and inbound size limit (a reply
     * larger than maxMessageBytes is refused from its length prefix, before it is read).
     */
    public static ManagedChannel open(String address, DistributedOptions options) {
        Security s = options.security();
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(address, Credentials.channel(s, "channel to " + address))
                .maxInboundMessageSize(options.maxMessageBytes());
        if (s.hasToken()) b.intercept(TokenCheck.client(s.token()));
        return b.build();
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
