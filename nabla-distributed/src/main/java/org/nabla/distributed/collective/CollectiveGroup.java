package org.nabla.distributed.collective;

import org.nabla.distributed.DistributedException;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Rpc;
import org.nabla.distributed.rpc.TensorWire;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.distributed.proto.AbortCollectiveRequest;
import org.nabla.distributed.proto.AbortCollectiveResponse;
import org.nabla.distributed.proto.CollectiveChunk;
import org.nabla.distributed.proto.CollectiveChunkResponse;
import org.nabla.distributed.proto.CollectiveServiceGrpc;
import org.nabla.distributed.proto.DataPortRequest;
import org.nabla.distributed.proto.DataPortResponse;

/**
 * The tasks taking part in collectives (a job's, or the chief and the workers), seen from one of them
 * ({@link org.nabla.distributed.Server#collectives()}): a ring
 * all-reduce of float32/float64 tensors. Tensors of one dtype are laid end to end and cut into buckets of
 * {@link #bucketBytes()}; each bucket goes round the ring twice (reduce-scatter, then all-gather) in n chunks, so each
 * task sends and receives 2(n-1)/n of the data. A chunk travels in pieces of at most 512 KiB (or the options'
 * {@code chunkBytes} if smaller), pipelined: each piece received and added is sent on at once (by another thread), and
 * the next bucket starts while one is reduced, so sending, receiving and adding overlap. Every task of the group must
 * call the same collectives with the same keys and tensor shapes, in the same order. Pieces are pushed to the next
 * task as raw little-endian frames on a TCP connection ({@link RingSockets}, the data plane) or, with
 * {@code ringSockets(false)}, as SendChunk RPCs (TensorWire-encoded, with the control deadline), and waited for from
 * the previous one (at most the step deadline); a failure aborts the
 * collective on every task and names the task that failed. One collective at a time per key; different keys may run
 * concurrently.
 */
public final class CollectiveGroup {
    /** Default bucket size: 4 MiB. */
    public static final long DEFAULT_BUCKET_BYTES = 4L << 20;

    /** The members' task names ({@code /job:worker/replica:0/task:1}), in ring order. */
    private final List<String> members;
    private final List<String> addresses;
    private final int rank;
    private final Channels channels;
    private final CollectiveMailbox mailbox;
    /** The data plane; null: pieces travel as SendChunk RPCs. */
    private final RingSockets sockets;
    private final long bucketBytes;
    /** Counts the collectives with drawn keys; shared by the groups {@link #withBucketBytes} derives. */
    private final AtomicLong autoKeys;
    /** Prefixes every key of this group's collectives ("" for the server's group; see {@link #withKeyScope}). */
    private final String scope;

    public CollectiveGroup(String job, List<Integer> taskIndices, List<String> addresses, int rank, Channels channels,
                    CollectiveMailbox mailbox, RingSockets sockets, long bucketBytes, AtomicLong autoKeys) {
        this(taskIndices.stream().map(i -> "/job:" + job + "/replica:0/task:" + i).toList(), addresses, rank, channels,
                mailbox, sockets, bucketBytes, autoKeys, "");
    }

    /** A group of the tasks named {@code members} (e.g. a chief and the workers), at {@code addresses}, in ring order. */
    public CollectiveGroup(List<String> members, List<String> addresses, int rank, Channels channels,
                           CollectiveMailbox mailbox, RingSockets sockets, long bucketBytes, AtomicLong autoKeys) {
        this(members, addresses, rank, channels, mailbox, sockets, bucketBytes, autoKeys, "");
    }

    private CollectiveGroup(List<String> members, List<String> addresses, int rank, Channels channels,
                            CollectiveMailbox mailbox, RingSockets sockets, long bucketBytes, AtomicLong autoKeys,
                            String scope) {
        if (bucketBytes < 1024) throw new IllegalArgumentException("bucketBytes must be >= 1024, got " + bucketBytes);
        if (members.size() != addresses.size()) {
            throw new IllegalArgumentException("collective group: " + members.size() + " members but "
                    + addresses.size() + " addresses");
        }
        this.members = List.copyOf(members);
        this.addresses = List.copyOf(addresses);
        this.rank = rank;
        this.channels = channels;
        this.mailbox = mailbox;
        this.sockets = sockets;
        this.bucketBytes = bucketBytes;
        this.autoKeys = autoKeys;
        this.scope = scope;
    }

    /** The same group with buckets of {@code bytes}. */
    public CollectiveGroup withBucketBytes(long bytes) {
        return new CollectiveGroup(members, addresses, rank, channels, mailbox, sockets, bytes, autoKeys, scope);
    }

    /**
     * The same tasks with keys of their own: every key gets {@code scope} as a prefix and the drawn keys count from
     * 1 again. A job run gives each run its scope, so that a task restarted mid-job (whose counter starts over) and
     * the tasks that kept running agree on keys, and nothing left from a failed run is taken for the new one; the
     * ring forgets the peers it saw lost before (their replacements connect anew).
     */
    public CollectiveGroup withKeyScope(String scope) {
        if (scope == null || scope.isEmpty() || scope.contains("\n")) {
            throw new IllegalArgumentException("withKeyScope: scope must be non-empty, one line; got '" + scope + "'");
        }
        if (sockets != null) sockets.forgetLost();
        // a channel to a peer that was down backs off for up to minutes and fails calls at once meanwhile: the new
        // run starts once every task answers again, so connect anew now
        for (int r = 0; r < addresses.size(); r++) if (r != rank) channels.get(addresses.get(r)).resetConnectBackoff();
        return new CollectiveGroup(members, addresses, rank, channels, mailbox, sockets, bucketBytes,
                new AtomicLong(), this.scope + scope + "/");
    }

    /** Number of tasks in the group. */
    public int size() { return addresses.size(); }

    /** This task's position in the group (the chief first, then by task index). */
    public int rank() { return rank; }

    public long bucketBytes() { return bucketBytes; }

    private String task(int r) {
        return "task " + members.get(r) + " (" + addresses.get(r) + ")";
    }

    /**
     * The element-wise sum over the group of each tensor, keyed by the number of such calls this task's server has
     * made (so every task must make them in the same order).
     */
    public List<Tensor> allReduce(List<Tensor> tensors) { return allReduce("auto-" + autoKeys.incrementAndGet(), tensors); }

    /**
     * The element-wise sum over every task of the group of each of {@code tensors} (float32 or float64, concrete),
     * in the same order and shapes. {@code key} names this collective; every task passes the same one.
     */
    public List<Tensor> allReduce(String key, List<Tensor> tensors) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("allReduce: empty key");
        key = scope + key;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null) throw new IllegalArgumentException("allReduce: tensor " + i + " is null");
            if (t.isSymbolic()) throw new IllegalArgumentException("allReduce: tensor " + i + " is a graph tensor");
            if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("allReduce: tensor " + i + " is " + t.dtype() + "; only float32 "
                        + "and float64 are reduced");
            }
        }
        Tensor[] out = new Tensor[tensors.size()];
        try {
            int bucket = 0;
            for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
                List<Integer> members = new ArrayList<>();
                long total = 0;
                for (int i = 0; i < tensors.size(); i++) {
                    if (tensors.get(i).dtype() == dtype) {
                        members.add(i);
                        total += tensors.get(i).size();
                    }
                }
                if (members.isEmpty()) continue;
                if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("allReduce: too many elements");
                Flat flat;
                Flat source;   // what the first ring step sends and the reduce-scatter adds to: flat, or the input
                int at = 0;
                if (members.size() == 1) {   // one tensor: no packing, and its array is read, not copied
                    Tensor t = tensors.get(members.get(0));
                    source = size() > 1 ? Flat.borrow(t) : null;
                    flat = source == null ? Flat.of(t) : Flat.allocate(dtype, (int) total);
                    if (source == null) source = flat;
                } else {
                    flat = Flat.allocate(dtype, (int) total);
                    for (int i : members) at = flat.put(at, tensors.get(i));
                    source = flat;
                }
                int perBucket = (int) Math.max(1, bucketBytes / dtype.byteSize());
                ring(key, bucket, source, flat, (int) total, perBucket);
                bucket += (int) ((total + perBucket - 1) / perBucket);
                at = 0;
                for (int i : members) {
                    Shape shape = tensors.get(i).shape();
                    out[i] = flat.take(at, shape);
                    at += (int) shape.size();
                }
            }
        } catch (RuntimeException e) {
            String why = e instanceof DistributedException ? e.getMessage() : Rpc.message(e);
            String reason = why.startsWith("all-reduce") ? why : "all-reduce '" + key + "' failed on " + task(rank)
                    + ": " + why;
            abortEverywhere(key, reason);
            throw new DistributedException(reason, e);
        }
        return List.of(out);
    }

    /**
     * Ring all-reduce of {@code flat[0, total)} in place, in buckets of {@code perBucket} elements numbered from
     * {@code firstBucket}. Pipelined (as NCCL's ring is): a piece received and added at ring step s is queued at once
     * as the same piece of step s + 1 (the chunk a task reduces at one step is the chunk it sends at the next), so
     * the writer thread streams while this thread adds, and the next buckets' first step is queued while a bucket
     * is reduced ({@link #BUCKETS_IN_FLIGHT} at most). Sends are waited for only at the end. Safe without waiting:
     * the writer reads a range of {@code flat} after it was last written and before it is next written, because the
     * next write of a range sent (its all-gather copy) depends on the piece having reached the next task.
     * {@code source} holds this task's own values (it may be {@code flat} itself): the first step sends from it and
     * the reduce-scatter writes {@code source + received} into {@code flat}, so every element of {@code flat} is
     * written (each chunk but this task's own is received in the reduce-scatter, and that one in the all-gather) and
     * a caller's tensor need not be copied first.
     */
    private void ring(String key, int firstBucket, Flat source, Flat flat, int total, int perBucket) {
        int n = size();
        if (n == 1) return;
        int next = (rank + 1) % n;
        int prev = (rank + n - 1) % n;
        int piece = Math.max(1, pieceBytes() / flat.dtype().byteSize());
        int buckets = (total + perBucket - 1) / perBucket;
        int steps = 2 * (n - 1);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        int queued = 0;   // buckets whose first step is queued
        for (int b = 0; b < buckets; b++) {
            for (; queued < buckets && queued < b + BUCKETS_IN_FLIGHT; queued++) {
                int from = queued * perBucket;
                int len = Math.min(total - from, perBucket);
                int cFrom = from + chunkStart(rank, len, n);
                int cTo = from + chunkStart(rank + 1, len, n);
                int p = 0;
                for (int at = cFrom; at < cTo || p == 0; at += piece, p++) {
                    sent.add(sendPiece(next, key, firstBucket + queued, 0, p, source, at, Math.min(cTo, at + piece)));
                }
            }
            int from = b * perBucket;
            int len = Math.min(total - from, perBucket);
            int bucket = firstBucket + b;
            for (int s = 0; s < steps; s++) {
                boolean gather = s >= n - 1;
                int k = gather ? s - (n - 1) : s;
                int chunk = Math.floorMod(gather ? rank - k : rank - k - 1, n);
                int rFrom = from + chunkStart(chunk, len, n);
                int rTo = from + chunkStart(chunk + 1, len, n);
                int p = 0;
                for (int at = rFrom; at < rTo || p == 0; at += piece, p++) {
                    CollectiveMailbox.Piece in = mailbox.take(key, bucket, s, p, channels.options().stepTimeout(),
                            task(prev), sockets == null ? () -> null : () -> sockets.lost(addresses.get(prev)));
                    int until = Math.min(rTo, at + piece);
                    int expected = until - at;
                    if (in.dtype() != flat.dtype() || in.size() != expected) {
                        throw new DistributedException("all-reduce '" + key + "' (bucket " + bucket + "): " + task(prev)
                                + " sent " + in.size() + " " + in.dtype() + " elements where " + expected + " "
                                + flat.dtype() + " elements were expected (do all tasks reduce the same shapes?)");
                    }
                    if (gather) flat.copyIn(at, in.data());
                    else flat.addIn(at, in.data(), source);
                    in.release().run();
                    if (s + 1 < steps) sent.add(sendPiece(next, key, bucket, s + 1, p, flat, at, until));
                }
            }
        }
        for (CompletableFuture<?> f : sent) awaitSent(f, key, next);
    }

    /**
     * Buckets whose pieces may be on their way at once (the reduced one and the next ones' first ring step); a knob
     * for measurements ({@code -Dnabla.ring.buckets}), as is the piece size.
     */
    static final int BUCKETS_IN_FLIGHT = Math.max(1, Integer.getInteger("nabla.ring.buckets", 2));

    /** Pieces of at most 512 KiB (or the options' chunkBytes if smaller): fine enough for the pipeline to fill. */
    private int pieceBytes() { return Math.min(channels.options().chunkBytes(), PIECE_BYTES); }

    static final int PIECE_BYTES = Math.max(1024, Integer.getInteger("nabla.ring.pieceBytes", 512 << 10));

    /** Where chunk {@code c} (0 .. n) of a bucket of {@code len} elements starts: n chunks differing by one at most. */
    private static int chunkStart(int c, int len, int n) { return (int) ((long) c * len / n); }

    /** Queues {@code flat[from, until)} as piece (bucket, step, piece) to task {@code to}. */
    private CompletableFuture<?> sendPiece(int to, String key, int bucket, int step, int piece, Flat flat, int from,
                                           int until) {
        if (sockets != null) return sendFrame(to, key, bucket, step, piece, flat, from, until);
        return send(to, CollectiveChunk.newBuilder().setKey(key).setBucket(bucket).setRingStep(step).setPiece(piece)
                .setFromRank(rank).setTensor(UnsafeByteOperations.unsafeWrap(TensorWire.encode(flat.slice(from,
                        until)))).build());
    }

    /** Waits for a send; one stuck past the step deadline (the peer stopped reading) closes the connection. */
    private void awaitSent(CompletableFuture<?> f, String key, int to) {
        if (sockets == null) {
            Rpc.await(f);
            return;
        }
        try {
            f.get(channels.options().stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sockets.disconnect(addresses.get(to));
            throw new DistributedException("all-reduce '" + key + "': " + task(to) + " did not take data within "
                    + channels.options().stepTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("all-reduce '" + key + "': interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = Rpc.unwrap(e);
            if (t instanceof RuntimeException r) throw r;
            throw new DistributedException(Rpc.message(t), t);
        }
    }

    /** Writes {@code flat[from, to)} to task {@code to}'s ring socket; a failure also fails this task's waits at once. */
    private CompletableFuture<Void> sendFrame(int to, String key, int bucket, int step, int piece, Flat flat, int from,
                                              int until) {
        return sockets.send(addresses.get(to), () -> dataPort(to), addresses.get(rank) + "\n" + task(rank), key, bucket, step, piece, flat.f(),
                        flat.d(), from, until)
                .exceptionallyCompose(e -> {
                    String why = "all-reduce '" + key + "' (bucket " + bucket + "): " + task(to) + " "
                            + failure(e, "ring socket");
                    mailbox.abort(key, why);
                    return CompletableFuture.failedFuture(new DistributedException(why, e));
                });
    }

    /** Asks task {@code to} for its ring socket's port (a control RPC). */
    private int dataPort(int to) {
        long ms = channels.options().rpcTimeout().toMillis();
        DataPortResponse r = Rpc.await(Rpc.<DataPortResponse>call(o -> CollectiveServiceGrpc
                .newStub(channels.get(addresses.get(to))).withDeadlineAfter(ms, TimeUnit.MILLISECONDS)
                .dataPort(DataPortRequest.getDefaultInstance(), o)));
        return r.getPort();
    }

    /** Pushes a piece to task {@code to}; a failure also fails this task's waits on the key at once. */
    private CompletableFuture<CollectiveChunkResponse> send(int to, CollectiveChunk chunk) {
        long ms = channels.options().rpcTimeout().toMillis();
        return Rpc.<CollectiveChunkResponse>call(o -> CollectiveServiceGrpc.newStub(channels.get(addresses.get(to)))
                .withDeadlineAfter(ms, TimeUnit.MILLISECONDS).sendChunk(chunk, o))
                .exceptionallyCompose(e -> {
                    String why = "all-reduce '" + chunk.getKey() + "' (bucket " + chunk.getBucket() + "): " + task(to)
                            + " " + failure(e, "SendChunk");
                    mailbox.abort(chunk.getKey(), why);
                    return CompletableFuture.failedFuture(new DistributedException(why, e));
                });
    }

    private static String failure(Throwable e, String call) {
        Throwable t = Rpc.unwrap(e);
        if (t instanceof StatusRuntimeException s) {
            if (s.getStatus().getCode() == Status.Code.UNAVAILABLE) return "is unreachable (" + call + "): " + Rpc.message(t);
            if (s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) return "did not answer " + call + " in time";
        }
        return "failed " + call + ": " + Rpc.message(t);
    }

    /** Fails the collective here and, best effort, on every other task (so none waits for the deadline). */
    private void abortEverywhere(String key, String reason) {
        mailbox.abort(key, reason);
        AbortCollectiveRequest r = AbortCollectiveRequest.newBuilder().setKey(key).setReason(reason).build();
        long ms = channels.options().rpcTimeout().toMillis();
        for (int i = 0; i < size(); i++) {
            if (i == rank) continue;
            String address = addresses.get(i);
            try {
                Rpc.<AbortCollectiveResponse>call(o -> CollectiveServiceGrpc.newStub(channels.get(address)) // fire and forget
                        .withDeadlineAfter(ms, TimeUnit.MILLISECONDS).abortCollective(r, o));
            } catch (RuntimeException e) {
                // the channels are closing: nobody is left to tell
            }
        }
    }

    /** {@code t * c} computed in t's dtype (float32 or float64); c = 0 gives zeros even where t is NaN. */
    public static Tensor scaled(Tensor t, double c) {
        Shape s = t.shape();
        if (t.dtype() == DType.FLOAT32) {
            float[] v = c == 0 ? new float[(int) t.size()] : t.toFloatArray().clone();
            if (c != 0) for (int i = 0; i < v.length; i++) v[i] *= (float) c;
            return Tensor.wrap(DType.FLOAT32, s, v);
        }
        if (t.dtype() == DType.FLOAT64) {
            double[] v = c == 0 ? new double[(int) t.size()] : t.toDoubleArray().clone();
            if (c != 0) for (int i = 0; i < v.length; i++) v[i] *= c;
            return Tensor.wrap(DType.FLOAT64, s, v);
        }
        throw new IllegalArgumentException("only float32 and float64 values are reduced, got " + t.dtype());
    }
}
