package org.nabla.distributed.worker;

import org.nabla.distributed.Cluster;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedSession;
import org.nabla.distributed.DistributedOptions;

import org.nabla.distributed.rpc.TensorWire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.distributed.proto.GetStatusRequest;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.RecvTensorRequest;
import org.nabla.distributed.proto.RecvTensorResponse;
import org.nabla.distributed.proto.RegisterGraphRequest;
import org.nabla.distributed.proto.RunGraphRequest;
import org.nabla.distributed.proto.WorkerServiceGrpc;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;

/** Messages a worker must refuse without crashing or allocating what they claim. */
@Timeout(30)
class MalformedMessagesTest {
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(3))
            .stepTimeout(Duration.ofSeconds(10)).maxTensorBytes(1 << 20).chunkBytes(16 << 10)
            .maxMessageBytes(256 << 10);

    /** A worker with y = 2x registered; what RunGraph needs to call it directly. */
    private record Registered(WorkerServiceGrpc.WorkerServiceBlockingStub stub, String handle, long incarnation) {
        RunGraphRequest.Builder run(ByteString feed) {
            return RunGraphRequest.newBuilder().setSessionHandle("s").setGraphHandle(handle).setStepId(7)
                    .setWorkerIncarnation(incarnation).addFeeds(NamedTensor.newBuilder().setName("x:0")
                            .setTensor(feed));
        }
    }

    private static Registered register(ManagedChannel channel) {
        Graph g = new Graph();
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            y = Ops.mul(g.placeholder("x", DType.FLOAT32, Shape.of(-1)), 2f);
        }
        WorkerServiceGrpc.WorkerServiceBlockingStub stub = WorkerServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
        long incarnation = stub.getStatus(GetStatusRequest.getDefaultInstance()).getIncarnation();
        String handle = stub.registerGraph(RegisterGraphRequest.newBuilder().setSessionHandle("s")
                .setWorkerIncarnation(incarnation).setGraph(ByteString.copyFrom(GraphIO.toBytes(g))).addFeeds("x:0")
                .addFetches(y.symbol().toString()).build()).getGraphHandle();
        return new Registered(stub, handle, incarnation);
    }

    private static ManagedChannel channel(Cluster c) {
        return NettyChannelBuilder.forTarget(c.spec.address("worker", 0)).usePlaintext().build();
    }

    private static byte[] header(long... dims) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * dims.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(TensorWire.MAGIC).putInt(DType.FLOAT32.fileCode()).putInt(dims.length);
        for (long d : dims) b.putLong(d);
        return b.array();
    }

    @Test
    void aFeedClaimingAHugeTensorOrNotReadingIsRefused() throws IOException {
        try (Cluster cluster = new Cluster(1, OPTIONS)) {
            ManagedChannel channel = channel(cluster);
            try {
                Registered w = register(channel);
                Tensor ok = Tensor.wrap(DType.FLOAT32, Shape.of(1), new float[] {1.5f});
                byte[] bytes = w.stub().runGraph(w.run(ByteString.copyFrom(TensorWire.encode(ok))).build())
                        .getFetches(0).getTensor().toByteArray();
                assertEquals(3f, TensorWire.decode(bytes, 100).toFloatArray()[0]);

                StatusRuntimeException huge = assertThrows(StatusRuntimeException.class,
                        () -> w.stub().runGraph(w.run(ByteString.copyFrom(header(1L << 30))).build()));
                assertEquals(Status.Code.INVALID_ARGUMENT, huge.getStatus().getCode());
                assertEquals("/job:worker/replica:0/task:0: feed 'x:0': tensor message: a float32 tensor of shape "
                        + "[1073741824] is 4294967296 bytes, more than the limit of 1048576 "
                        + "(DistributedOptions.maxTensorBytes)", huge.getStatus().getDescription());

                StatusRuntimeException garbage = assertThrows(StatusRuntimeException.class,
                        () -> w.stub().runGraph(w.run(ByteString.copyFromUtf8("hello, worker")).build()));
                assertEquals("/job:worker/replica:0/task:0: feed 'x:0': malformed tensor message: it does not start "
                        + "with the magic bytes \"NTW1\"", garbage.getStatus().getDescription());

                // a message over the gRPC limit is refused by gRPC itself, from its length prefix
                Tensor big = Tensor.wrap(DType.FLOAT32, Shape.of(100_000), new float[100_000]);
                StatusRuntimeException tooBig = assertThrows(StatusRuntimeException.class,
                        () -> w.stub().runGraph(w.run(ByteString.copyFrom(TensorWire.encode(big))).build()));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());

                // the worker is still fine
                assertEquals(3f, TensorWire.decode(w.stub().runGraph(w.run(ByteString.copyFrom(TensorWire.encode(ok)))
                        .build()).getFetches(0).getTensor().toByteArray(), 100).toFloatArray()[0]);
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aReplyOverTheClientsMessageLimitIsRefusedByTheClient() throws IOException {
        // the server's limit is large, the client's small: the fetch comes back larger than the client takes
        try (Cluster cluster = new Cluster(1, OPTIONS.maxMessageBytes(8 << 20))) {
            Graph g = new Graph();
            Tensor x;
            Tensor y;
            try (ExecutionContext.Scope s = g.asDefault()) {
                x = g.placeholder("x", DType.FLOAT32, Shape.of(-1));
                y = Ops.mul(x, 2f);
            }
            float[] big = new float[100_000];   // 400 kB each way
            try (DistributedSession s = DistributedSession.connect(cluster.server(0).target(), g, OPTIONS)) {
                DistributedException e = assertThrows(DistributedException.class,
                        () -> s.run(List.of(y), Map.of(x, big)));
                assertTrue(e.getMessage().startsWith("RunStep on the master at localhost:" + cluster.server(0).port()
                        + " failed: RESOURCE_EXHAUSTED"), e.getMessage());
                assertEquals(4f, s.run(List.of(y), Map.of(x, new float[] {2f})).get(0).toFloatArray()[0]);
            }
        }
    }

    @Test
    void aRecvTensorStreamAnnouncingAHugeTensorIsRefusedBeforeAllocating() throws Exception {
        // a producer that lies: it announces 1 TiB and sends ten bytes
        io.grpc.Server liar = NettyServerBuilder.forPort(0).addService(new WorkerServiceGrpc.WorkerServiceImplBase() {
            @Override
            public void recvTensor(RecvTensorRequest r, StreamObserver<RecvTensorResponse> out) {
                out.onNext(RecvTensorResponse.newBuilder().setTotalBytes(1L << 40)
                        .setChunk(ByteString.copyFrom(new byte[10])).build());
                out.onCompleted();
            }
        }).build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", liar.getPort()).usePlaintext().build();
        try {
            TensorPull.Pending p = TensorPull.start(channel, "/job:worker/replica:0/task:1", "localhost:"
                    + liar.getPort(), 1, 42, "a;b;x:0;0:0", Deadline.after(5, TimeUnit.SECONDS), 1 << 20);
            CompletionException e = assertThrows(CompletionException.class, () -> p.result().join());
            String m = e.getCause().getMessage();
            assertTrue(m.startsWith("RecvTensor of 'a;b;x:0;0:0' (step 42) from task /job:worker/replica:0/task:1 at "
                    + "localhost:" + liar.getPort() + " refused: tensor message: the stream announces 1099511627776 "
                    + "bytes, more than the limit"), m);
        } finally {
            channel.shutdownNow();
            liar.shutdownNow();
        }
    }

    @Test
    void aRecvTensorForAnotherIncarnationIsRefused() throws IOException {
        try (Cluster cluster = new Cluster(1, OPTIONS)) {
            ManagedChannel channel = channel(cluster);
            try {
                long incarnation = cluster.server(0).incarnation();
                Iterator<RecvTensorResponse> it = WorkerServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS).recvTensor(RecvTensorRequest.newBuilder()
                                .setStepId(1).setRendezvousKey("k").setWorkerIncarnation(incarnation + 1).build());
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::hasNext);
                assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
                assertTrue(e.getStatus().getDescription().contains("the task restarted since the master saw it"));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aValueWaitsAtItsProducerUntilPulledAndComesInChunks() throws Exception {
        try (Cluster cluster = new Cluster(1, OPTIONS)) {
            float[] values = new float[50_000];   // 200 kB: 13 chunks of 16 kB
            for (int i = 0; i < values.length; i++) values[i] = i;
            ManagedChannel channel = channel(cluster);
            try {
                Worker worker = cluster.server(0).worker();
                // the pull comes first: the producer's step has not sent the value yet
                TensorPull.Pending pull = TensorPull.start(channel, worker.task().toString(), "localhost",
                        worker.incarnation(), 99, "k", Deadline.after(5, TimeUnit.SECONDS), 1 << 20);
                for (int i = 0; i < 500 && worker.liveSteps() == 0; i++) Thread.sleep(10);
                assertEquals(1, worker.liveSteps(), "the pull waits at the producer");
                worker.step(99).put("k", Tensors.convert(values, DType.FLOAT32));
                float[] back = pull.result().join().toFloatArray();
                assertEquals(values.length, back.length);
                assertEquals(49_999f, back[49_999]);
                assertEquals(0, worker.step(99).pending(), "a pulled value is not kept");
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
