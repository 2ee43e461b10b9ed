package org.nabla.serving;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * TensorFlow Serving's gRPC port: PredictionService and ModelService over the server's models. Calls run on virtual
 * threads (a call may wait for its batch); messages are bounded by {@link ServingOptions#maxBodyBytes}.
 */
final class GrpcEndpoint {
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Server server;

    GrpcEndpoint(ModelRegistry registry, int port) {
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(port))
                .executor(calls)
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE - 8, registry.options.maxBodyBytes()))
                .addService(new PredictionGrpcService(registry))
                .addService(new ModelStatusGrpcService(registry))
                .build();
    }

    void start() throws IOException { server.start(); }

    /** The port it listens on. */
    int port() { return server.getPort(); }

    /** Refuses new calls; the ones in flight go on. */
    void shutdown() { server.shutdown(); }

    /** Waits (up to 10 s, like the HTTP side) for the calls in flight, then cuts what is left. */
    void awaitTermination() {
        try {
            if (!server.awaitTermination(10, TimeUnit.SECONDS)) server.shutdownNow();
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        calls.shutdown();
    }
}
