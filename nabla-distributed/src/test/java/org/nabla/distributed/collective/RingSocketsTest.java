package org.nabla.distributed.collective;

import org.nabla.distributed.Cluster;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** The all-reduce's raw TCP data plane: broken peers and malformed frames. */
@Timeout(60)
class RingSocketsTest {
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(20));

    private static List<Tensor> reduceOnBoth(Cluster c, String key) throws Exception {
        var a = CompletableFuture.supplyAsync(() -> c.server(0).collectives().allReduce(key,
                List.of(Tensors.of(new float[] {1, 2, 3}, 3))));
        var b = CompletableFuture.supplyAsync(() -> c.server(1).collectives().allReduce(key,
                List.of(Tensors.of(new float[] {10, 20, 30}, 3))));
        assertEquals(b.get(20, TimeUnit.SECONDS).get(0).toString(), a.get(20, TimeUnit.SECONDS).get(0).toString());
        return a.get();
    }

    @Test
    void aPeerThatStopsAfterConnectingIsNamedAtOnce() throws Exception {
        try (Cluster c = new Cluster(2, OPTIONS)) {
            assertArrayEquals(new float[] {11, 22, 33}, reduceOnBoth(c, "first").get(0).toFloatArray(), 0f);
            int port1 = c.server(1).port();
            c.server(1).close();
            long t0 = System.nanoTime();
            DistributedException e = assertThrows(DistributedException.class,
                    () -> c.server(0).collectives().allReduce("second", List.of(Tensors.of(new float[] {1, 2}, 2))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5_000, "failed within seconds, took " + ms + " ms");
            assertTrue(e.getMessage().contains("task /job:worker/replica:0/task:1 (localhost:" + port1 + ")"),
                    e.getMessage());
        }
    }

    @Test
    void aFrameClaimingMoreThanAPieceIsRefusedBeforeAllocating() throws Exception {
        try (Cluster c = new Cluster(2, OPTIONS)) {
            try (SocketChannel s = SocketChannel.open(new InetSocketAddress("localhost", c.server(0).ringPort()))) {
                byte[] hello = "localhost:1\nan impostor".getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(RingSockets.MAGIC).putInt(hello.length).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0)
                        .put(hello);
                b.putInt(RingSockets.MAGIC).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0)
                        .putInt(Integer.MAX_VALUE - 3).put((byte) 'k');
                b.flip();
                while (b.hasRemaining()) s.write(b);
                s.socket().setSoTimeout(5_000);
                assertTrue(closedByPeer(s), "the server closes the connection");
            }
            assertArrayEquals(new float[] {11, 22, 33}, reduceOnBoth(c, "after").get(0).toFloatArray(), 0f);
            assertEquals(0, c.server(0).pendingCollectiveChunks());
        }
    }

    private static boolean closedByPeer(SocketChannel s) {
        try {
            return s.socket().getInputStream().read() == -1;
        } catch (java.io.IOException e) {
            return true;   // reset: the server closed with our bytes unread
        }
    }

    /** Opens a connection to {@code port} and sends a hello, then one float32 piece of {@code key}. */
    private static SocketChannel helloAndPiece(int port, String hello, String key) throws Exception {
        SocketChannel s = SocketChannel.open(new InetSocketAddress("localhost", port));
        byte[] h = hello.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(RingSockets.MAGIC).putInt(h.length).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).put(h);
        b.putInt(RingSockets.MAGIC).putInt(k.length).putInt(0).putInt(0).putInt(0).putInt(0).putInt(4).put(k)
                .putFloat(2.5f);
        b.flip();
        while (b.hasRemaining()) s.write(b);
        s.socket().setSoTimeout(5_000);
        return s;
    }

    @Test
    void aHelloWithoutTheTokenClosesTheConnectionBeforeAnyFrameIsTaken() throws Exception {
        CollectiveMailbox mailbox = new CollectiveMailbox(1 << 20);
        try (RingSockets sockets = new RingSockets(mailbox, 1 << 16, "the-token")) {
            for (String hello : List.of("localhost:1\nstranger\nanother-token", "localhost:1\nstranger")) {
                try (SocketChannel s = helloAndPiece(sockets.port(), hello, "refused")) {
                    assertTrue(closedByPeer(s), "the connection is closed");
                }
                assertEquals(0, mailbox.pending(), "nothing was delivered");
            }
            try (SocketChannel s = helloAndPiece(sockets.port(), "localhost:1\nfriend\nthe-token", "accepted")) {
                CollectiveMailbox.Piece p = mailbox.take("accepted", 0, 0, 0, Duration.ofSeconds(5), "friend",
                        () -> null);
                assertEquals(2.5f, p.data().order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
                p.release().run();
            }
        }
    }

    @Test
    void grpcServersHaveNoRingSocket() throws Exception {
        try (Cluster c = new Cluster(2, OPTIONS.ringSockets(false))) {
            assertEquals(-1, c.server(0).ringPort());
            assertArrayEquals(new float[] {11, 22, 33}, reduceOnBoth(c, "k").get(0).toFloatArray(), 0f);
        }
    }
}
