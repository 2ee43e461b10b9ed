package org.nabla.distributed.collective;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.rpc.TensorWire;

import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.distributed.proto.AbortCollectiveRequest;
import org.nabla.distributed.proto.AbortCollectiveResponse;
import org.nabla.distributed.proto.CollectiveChunk;
import org.nabla.distributed.proto.CollectiveChunkResponse;
import org.nabla.distributed.proto.CollectiveServiceGrpc;
import org.nabla.distributed.proto.DataPortRequest;
import org.nabla.distributed.proto.DataPortResponse;

/**
 * A task's CollectiveService: chunks its ring predecessor pushed (SendChunk, or a frame on the ring socket that
 * {@link RingSockets} delivers) wait here, decoded, keyed by (collective key,
 * bucket, ring step, piece), until this task's own all-reduce takes them. A chunk may arrive before or after the taker asks
 * for it; whichever comes first creates the slot. AbortCollective fails every present and future wait on a key (and
 * drops its late chunks); a stopping server fails every wait. DataPort tells a ring neighbour where to connect.
 */
public final class CollectiveMailbox extends CollectiveServiceGrpc.CollectiveServiceImplBase {
    private final ConcurrentHashMap<String, CompletableFuture<Piece>> slots = new ConcurrentHashMap<>();
    /** Why the server stopped (null while it serves). */
    private volatile String closed;
    private final long maxTensorBytes;
    /** The port of this task's ring socket listener (0: none). */
    private volatile int dataPort;
    /** Recently aborted keys and why (bounded: a key is only ever used by one collective). */
    private final Map<String, String> aborted = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { return size() > 1024; }
    });

    /**
     * A received piece: its elements as little-endian bytes ({@code data}'s remaining ones); the taker calls
     * {@code release} once it has used them (the ring socket reuses the buffer).
     */
    record Piece(DType dtype, ByteBuffer data, Runnable release) {
        int size() { return data.remaining() / dtype.byteSize(); }

        /** A piece holding a decoded tensor's elements (the gRPC path). */
        static Piece of(Tensor t) {
            if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("a collective chunk must be float32 or float64, got " + t.spec());
            }
            ByteBuffer b = ByteBuffer.allocate((int) t.size() * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            if (t.dtype() == DType.FLOAT32) b.asFloatBuffer().put(t.toFloatArray());
            else b.asDoubleBuffer().put(t.toDoubleArray());
            return new Piece(t.dtype(), b, () -> { });
        }
    }

    public CollectiveMailbox(long maxTensorBytes) { this.maxTensorBytes = maxTensorBytes; }

    public void dataPort(int port) { dataPort = port; }

    private static String slot(String key, int bucket, int step, int piece) {
        return key + '\u0000' + bucket + '\u0000' + step + '\u0000' + piece;
    }

    @Override
    public void sendChunk(CollectiveChunk c, StreamObserver<CollectiveChunkResponse> out) {
        Rpc.serve(out, () -> {
            if (c.getBucket() < 0 || c.getRingStep() < 0 || c.getPiece() < 0) {
                throw new IllegalArgumentException("bad bucket, ring step or piece");
            }
            if (closed != null) throw new IllegalStateException(closed);
            deliver(c.getKey(), c.getBucket(), c.getRingStep(), c.getPiece(),
                    Piece.of(TensorWire.decode(c.getTensor().asReadOnlyByteBuffer(), maxTensorBytes)));
            return CollectiveChunkResponse.getDefaultInstance();
        });
    }

    @Override
    public void dataPort(DataPortRequest r, StreamObserver<DataPortResponse> out) {
        Rpc.serve(out, () -> {
            if (dataPort == 0) throw new IllegalStateException("this task has no ring socket");
            return DataPortResponse.newBuilder().setPort(dataPort).build();
        });
    }

    /** Hands a received piece to its taker (now, or when it asks); a piece of an aborted collective is dropped. */
    void deliver(String key, int bucket, int step, int piece, Piece t) {
        if (aborted.containsKey(key)) return;   // too late: nobody will take it
        String s = slot(key, bucket, step, piece);
        slots.computeIfAbsent(s, k -> new CompletableFuture<>()).complete(t);
        if (aborted.containsKey(key)) slots.remove(s);   // the abort came in between: nobody will take this one either
    }

    /** Fails every wait now in progress (not later ones): the sender they wait for is gone. */
    void failWaiting(String reason) {
        slots.forEach((k, f) -> f.completeExceptionally(new DistributedException(reason)));
    }

    @Override
    public void abortCollective(AbortCollectiveRequest r, StreamObserver<AbortCollectiveResponse> out) {
        Rpc.serve(out, () -> {
            abort(r.getKey(), r.getReason());
            return AbortCollectiveResponse.getDefaultInstance();
        });
    }

    /** Fails every wait on {@code key}, now and later. */
    void abort(String key, String reason) {
        aborted.put(key, reason);
        String prefix = key + '\u0000';
        // waiters hold their own future; pieces already delivered (pipelined ahead of the failure) are dropped
        slots.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(prefix)) return false;
            e.getValue().completeExceptionally(new DistributedException(reason));
            return true;
        });
    }

    /**
     * The piece of (key, bucket, step), waiting at most {@code timeout}; {@code from} names the sender for the
     * error when none comes; {@code gone} says why the sender is gone (null: it is not), checked once the wait is
     * registered, so {@link #failWaiting} covers the rest.
     */
    Piece take(String key, int bucket, int step, int piece, Duration timeout, String from, Supplier<String> gone) {
        String s = slot(key, bucket, step, piece);
        CompletableFuture<Piece> f = slots.computeIfAbsent(s, k -> new CompletableFuture<>());
        String why = aborted.get(key);
        if (why == null) why = closed;
        if (why == null && !f.isDone()) why = gone.get();
        if (why != null) f.completeExceptionally(new DistributedException(why));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DistributedException("all-reduce '" + key + "' (bucket " + bucket + "): no data from " + from
                    + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("all-reduce '" + key + "': interrupted", e);
        } catch (ExecutionException e) {
            throw new DistributedException(Rpc.message(e.getCause()), e.getCause());
        } finally {
            slots.remove(s);
        }
    }

    /** Fails every wait, now and later (the server stops). */
    public void close(String reason) {
        closed = reason;
        slots.forEach((k, f) -> f.completeExceptionally(new DistributedException(reason)));
    }

    /** Chunks received and not yet taken (0 when every collective finished). */
    public int pending() { return slots.size(); }
}
