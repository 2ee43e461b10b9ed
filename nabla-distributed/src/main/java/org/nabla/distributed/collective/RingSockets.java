package org.nabla.distributed.collective;

import org.nabla.distributed.DistributedException;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntSupplier;
import org.nabla.DType;

/**
 * The ring all-reduce's data plane (as Gloo's and NCCL's socket transports): one raw TCP connection from each task to
 * each peer it sends to, beside gRPC, which stays the control plane (the listener's port travels in DataPort; abort
 * and errors stay RPCs). A piece travels as one frame: a 28-byte little-endian header (magic, key length, bucket, ring
 * step, piece, dtype, payload bytes), the key in UTF-8, then the elements as raw little-endian bytes. A reader thread
 * per accepted connection checks each header against the limits (key at most {@value #MAX_KEY_BYTES} bytes, payload
 * at most the options' chunkBytes, a whole number of elements) before reading the payload into its one direct buffer,
 * and hands the piece to the {@link CollectiveMailbox}, which the all-reduce takes from as it does with gRPC chunks;
 * the taker checks the size it expects. Frames of different collectives share a connection whole, in the order they
 * were sent: one writer thread per connection writes them. A connection that breaks is dropped (the next send
 * reconnects); a sender whose connection closes fails the waits in progress here, naming its task.
 *
 * <p>A connection's first frame is a hello whose key is the sender's gRPC address, its task name and, when the
 * cluster has a token ({@link org.nabla.distributed.Security}), the token, a line each; a hello without the token
 * closes the connection before any frame of it reaches the mailbox. The connections are never encrypted: with TLS on,
 * the server opens none and the all-reduce goes over gRPC.
 */
public final class RingSockets implements AutoCloseable {
    static final int MAGIC = 0x4e52_4e47;   // "NRNG"
    static final int HEADER_BYTES = 28;
    static final int MAX_KEY_BYTES = 1024;

    private final CollectiveMailbox mailbox;
    private final int maxPieceBytes;
    private final ServerSocketChannel listener;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Set<SocketChannel> accepted = ConcurrentHashMap.newKeySet();
    /** Why each sender whose connection ended is gone, by its gRPC address (cleared when it connects again). */
    private final Map<String, String> lost = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Receive buffers the takers handed back, for the readers to reuse (a reader allocates one when none is free). */
    private final Queue<ByteBuffer> free = new ConcurrentLinkedQueue<>();

    /** The shared token every hello must carry (null: none is asked for), as bytes for a constant-time compare. */
    private final byte[] token;

    /** A listener on any free port; {@code token}: what every sender's hello must carry (null: no check). */
    public RingSockets(CollectiveMailbox mailbox, int maxPieceBytes, String token) throws IOException {
        this.mailbox = mailbox;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxPieceBytes = maxPieceBytes;
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(0));
        Thread.ofPlatform().daemon().name("nabla-ring-accept-" + port()).start(this::acceptLoop);
    }

    /** The port ring neighbours connect to. */
    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = listener.accept();
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                accepted.add(c);
                Thread.ofPlatform().daemon().name("nabla-ring-read").start(() -> readLoop(c));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /**
     * Reads frames until the sender closes; the first frame (a hello, no payload) has for key the sender's gRPC
     * address, task name and, when this cluster has one, the token, a line each.
     */
    private void readLoop(SocketChannel c) {
        ByteBuffer head = ByteBuffer.allocateDirect(HEADER_BYTES + MAX_KEY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        String sender = null;
        String senderAddress = null;
        boolean hello = true;
        try {
            while (true) {
                head.clear().limit(HEADER_BYTES);
                if (!readFully(c, head, true)) break;
                head.flip();
                int magic = head.getInt();
                int keyBytes = head.getInt();
                int bucket = head.getInt();
                int step = head.getInt();
                int piece = head.getInt();
                int dtypeCode = head.getInt();
                int bytes = head.getInt();
                DType dtype = dtypeCode == 0 ? DType.FLOAT32 : dtypeCode == 1 ? DType.FLOAT64 : null;
                if (magic != MAGIC || keyBytes <= 0 || keyBytes > MAX_KEY_BYTES || bucket < 0 || step < 0 || piece < 0
                        || dtype == null || bytes < 0 || bytes > maxPieceBytes || bytes % dtype.byteSize() != 0) {
                    throw new IOException("malformed ring frame");
                }
                head.clear().limit(keyBytes);
                readFully(c, head, false);
                head.flip();
                String key = StandardCharsets.UTF_8.decode(head).toString();
                if (hello) {
                    String[] lines = key.split("\n", 3);
                    // a hello has no payload: nothing is allocated on the word of a peer not yet checked
                    if (lines.length < 2 || bytes != 0) throw new IOException("malformed ring hello");
                    if (token != null && (lines.length < 3 || !MessageDigest.isEqual(token,
                            lines[2].getBytes(StandardCharsets.UTF_8)))) {
                        throw new IOException("ring hello without this cluster's token");   // a stranger: dropped
                    }
                    senderAddress = lines[0];
                    sender = lines[1];
                    lost.remove(senderAddress);
                    hello = false;
                    continue;
                }
                ByteBuffer body = free.poll();
                if (body == null) body = ByteBuffer.allocateDirect(maxPieceBytes).order(ByteOrder.LITTLE_ENDIAN);
                body.clear().limit(bytes);
                readFully(c, body, false);
                body.flip();
                ByteBuffer done = body;
                CollectiveMailbox.Piece t = new CollectiveMailbox.Piece(dtype, body, () -> release(done));
                mailbox.deliver(key, bucket, step, piece, t);
            }
        } catch (IOException | RuntimeException e) {
            // a broken or malformed connection: dropped below
        } finally {
            accepted.remove(c);
            closeQuietly(c);
            if (!closed && senderAddress != null) {   // a neighbour, not a stranger that never said hello
                String why = "all-reduce: " + sender + " closed its ring connection (did it stop?)";
                lost.put(senderAddress, why);
                disconnect(senderAddress);   // our connection to it is as dead: the next send reconnects
                mailbox.failWaiting(why);
            }
        }
    }

    private void release(ByteBuffer b) {
        if (free.size() < 32) free.offer(b);   // enough for two buckets in flight without allocating
    }

    /** Fills {@code b}; false when the stream ends before its first byte and {@code eofOk}. */
    private static boolean readFully(SocketChannel c, ByteBuffer b, boolean eofOk) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                if (first && eofOk) return false;
                throw new EOFException("ring connection closed mid-frame");
            }
            first = false;
        }
        return true;
    }

    /**
     * Sends {@code f[from, to)} or {@code d[from, to)} (one of them non-null) to the task at {@code address} as a
     * piece of (key, bucket, step, piece); the future completes once the bytes are written. The arrays must not change
     * until then. {@code dataPort} asks the peer for its port on first use; {@code self} is this task's gRPC address and name, a line each.
     */
    CompletableFuture<Void> send(String address, IntSupplier dataPort, String self, String key, int bucket, int step,
                                 int piece, float[] f, double[] d, int from, int to) {
        Link link;
        try {
            link = links.computeIfAbsent(address, a -> new Link(a, dataPort, self));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return CompletableFuture.runAsync(() -> link.write(key, bucket, step, piece, f, d, from, to), link.writer)
                    .whenComplete((v, e) -> {
                        if (e != null) drop(link);
                    });
        } catch (RejectedExecutionException e) {   // dropped by another collective's failure meanwhile
            return CompletableFuture.failedFuture(new DistributedException("the ring connection was closed", e));
        }
    }

    /** Why the sender at {@code address} is gone; null while it is connected (or has not connected yet). */
    String lost(String address) { return lost.get(address); }

    /**
     * Forgets which senders were lost: a new run of a job starts only once every task answers again, so a loss seen
     * before it is about a process that is gone, and its replacement has not connected yet.
     */
    void forgetLost() { lost.clear(); }

    /** Closes the connection to {@code address} (a write stuck on a peer that stopped reading fails). */
    void disconnect(String address) {
        Link l = links.get(address);
        if (l != null) drop(l);
    }

    private void drop(Link l) {
        links.remove(l.address, l);
        closeQuietly(l.channel);
        l.writer.shutdown();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Link l : links.values()) drop(l);
        for (SocketChannel c : accepted) closeQuietly(c);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** One outgoing connection and the thread that writes its frames. */
    private final class Link {
        final String address;
        final SocketChannel channel;
        final ExecutorService writer = Executors.newSingleThreadExecutor(r ->
                Thread.ofPlatform().daemon().name("nabla-ring-write").unstarted(r));
        /** Owned by the writer thread. */
        final ByteBuffer out = ByteBuffer.allocateDirect(HEADER_BYTES + MAX_KEY_BYTES + maxPieceBytes)
                .order(ByteOrder.LITTLE_ENDIAN);

        Link(String address, IntSupplier dataPort, String self) {
            this.address = address;
            String host = address.substring(0, address.lastIndexOf(':'));
            try {
                channel = SocketChannel.open(new InetSocketAddress(host, dataPort.getAsInt()));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                writer.shutdown();
                throw new DistributedException("cannot open a ring connection: " + e.getMessage(), e);
            }
            String hello = token == null ? self : self + "\n" + new String(token, StandardCharsets.UTF_8);
            writer.execute(() -> {   // hello: who we are, and the token that shows we belong to the cluster
                try {
                    write(hello, 0, 0, 0, null, null, 0, 0);
                } catch (RuntimeException e) {
                    // the connection broke: the first piece sent on it fails and reports it
                }
            });
        }

        void write(String key, int bucket, int step, int piece, float[] f, double[] d, int from, int to) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            if (k.length > MAX_KEY_BYTES) throw new IllegalArgumentException("all-reduce key longer than "
                    + MAX_KEY_BYTES + " bytes");
            int bytes = d != null ? (to - from) * 8 : (to - from) * 4;
            if (bytes > maxPieceBytes) throw new IllegalStateException("piece of " + bytes + " bytes > " + maxPieceBytes);
            out.clear();
            out.putInt(MAGIC).putInt(k.length).putInt(bucket).putInt(step).putInt(piece).putInt(d != null ? 1 : 0)
                    .putInt(bytes).put(k);
            if (d != null) {
                out.asDoubleBuffer().put(d, from, to - from);
            } else if (f != null) {
                out.asFloatBuffer().put(f, from, to - from);
            }
            out.position(out.position() + bytes).flip();
            try {
                while (out.hasRemaining()) channel.write(out);
            } catch (IOException e) {
                throw new DistributedException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
        }
    }
}
