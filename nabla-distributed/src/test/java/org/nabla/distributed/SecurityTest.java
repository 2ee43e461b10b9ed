package org.nabla.distributed;

import org.nabla.distributed.rpc.Channels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;

/**
 * TLS and the shared token, on two clusters of two tasks each started once for the class: one with mutual TLS and a
 * token (the all-reduce then goes over gRPC), one with a token alone (the all-reduce on the ring sockets). The right
 * credentials run a graph across tasks and an all-reduce; a client without the CA, without a certificate, with a
 * stranger's certificate, or with a wrong or missing token is refused, by every method of every service and by the
 * ring sockets, and the refusal never shows the token.
 */
@Timeout(60)
class SecurityTest {
    private static final String TOKEN = "s3cret-cluster-token";
    private static final String WRONG = "not-the-token-at-all";
    private static final DistributedOptions BASE = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(20));
    private static final float[][] XS = {{1, -2, 0.5f}, {0.25f, 3, -1}};

    private static TestCertificates certs;
    private static Cluster mutualTls;
    private static Cluster tokenOnly;

    @BeforeAll
    static void start() throws IOException {
        certs = TestCertificates.get();
        mutualTls = new Cluster(2, BASE.security(certs.security(true).withToken(TOKEN)));
        tokenOnly = new Cluster(2, BASE.security(Security.none().withToken(TOKEN)));
    }

    @AfterAll
    static void stop() {
        if (mutualTls != null) mutualTls.close();
        if (tokenOnly != null) tokenOnly.close();
    }

    private static float[] localD() {
        Cluster.PingPong m = Cluster.PingPong.local();
        try (Session s = new Session(m.g(), SessionOptions.defaults().cpuDevices(2))) {
            return s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray();
        }
    }

    /** The graph across both tasks through a master in this process and through task 1's, then an all-reduce. */
    private static void runsAGraphAndAnAllReduce(Cluster c, DistributedOptions client) throws Exception {
        Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
        try (DistributedSession s = DistributedSession.create(c.spec, m.g(), client)) {
            assertArrayEquals(localD(), s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray(), 0f);
        }
        try (DistributedSession s = DistributedSession.connect(c.server(1).target(), m.g(), client)) {
            assertArrayEquals(localD(), s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray(), 0f);
        }
        String key = "k-" + System.nanoTime();
        var a = CompletableFuture.supplyAsync(() -> c.server(0).collectives().allReduce(key,
                List.of(Tensors.of(new float[] {1, 2, 3}, 3))));
        var b = CompletableFuture.supplyAsync(() -> c.server(1).collectives().allReduce(key,
                List.of(Tensors.of(new float[] {10, 20, 30}, 3))));
        assertArrayEquals(new float[] {11, 22, 33}, a.get(20, TimeUnit.SECONDS).get(0).toFloatArray(), 0f);
        assertArrayEquals(new float[] {11, 22, 33}, b.get(20, TimeUnit.SECONDS).get(0).toFloatArray(), 0f);
        assertEquals(0, c.server(0).liveSteps());
        assertEquals(0, c.server(1).liveSteps());
        assertEquals(0, c.server(0).pendingCollectiveChunks());
    }

    @Test
    void mutualTlsWithTheTokenRunsAGraphAcrossTasksAndAnAllReduceOverGrpc() throws Exception {
        assertEquals(-1, mutualTls.server(0).ringPort(), "TLS on: the all-reduce goes over gRPC, not raw sockets");
        runsAGraphAndAnAllReduce(mutualTls, BASE.security(certs.security(false).withToken(TOKEN)));
    }

    @Test
    void theTokenAloneRunsAGraphAndAnAllReduceOverTheRingSockets() throws Exception {
        assertNotEquals(-1, tokenOnly.server(0).ringPort());
        runsAGraphAndAnAllReduce(tokenOnly, BASE.security(Security.none().withToken(TOKEN)));
    }

    /** Opening a session through task 1's master with {@code client}'s credentials fails; the error's message. */
    private static String refusedByTheMaster(Cluster c, DistributedOptions client) {
        DistributedException e = assertThrows(DistributedException.class, () -> DistributedSession.connect(
                c.server(1).target(), Cluster.PingPong.acrossWorkers().g(), client).close());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aClientThatDoesNotTrustTheClustersCaIsRefused() {
        // trusting another authority (the stranger's self-signed certificate): the server's certificate does not check
        String m = refusedByTheMaster(mutualTls, BASE.security(Security.tls(certs.cert(), certs.key(),
                certs.strangerCert()).withToken(TOKEN)));
        assertTrue(m.startsWith("the master at " + mutualTls.spec.address("worker", 1) + " is unreachable "
                + "(CreateSession): UNAVAILABLE"), m);
        // plaintext to a TLS server
        m = refusedByTheMaster(mutualTls, BASE.security(Security.none().withToken(TOKEN)));
        assertTrue(m.startsWith("the master at " + mutualTls.spec.address("worker", 1) + " is unreachable "
                + "(CreateSession): UNAVAILABLE"), m);
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificateOrWithAStrangersOne() {
        String m = refusedByTheMaster(mutualTls, BASE.security(Security.tls(null, null, certs.ca()).withToken(TOKEN)));
        assertTrue(m.contains("the master at " + mutualTls.spec.address("worker", 1)), m);
        assertTrue(m.contains("UNAVAILABLE"), m);
        m = refusedByTheMaster(mutualTls, BASE.security(Security.tls(certs.strangerCert(), certs.strangerKey(),
                certs.ca()).withToken(TOKEN)));
        assertTrue(m.contains("the master at " + mutualTls.spec.address("worker", 1)), m);
        assertTrue(m.contains("UNAVAILABLE"), m);
    }

    @Test
    void aWrongTokenOverMutualTlsIsRefused() {
        String m = refusedByTheMaster(mutualTls, BASE.security(certs.security(false).withToken(WRONG)));
        assertTrue(m.contains("UNAUTHENTICATED: /job:worker/replica:0/task:1 refused "
                + "nabla.distributed.MasterService/CreateSession: the call's token is not this cluster's"), m);
        assertFalse(m.contains(WRONG), m);
    }

    @Test
    void aWrongOrMissingTokenIsRefusedByTheMasterAndTheWorkers() {
        for (Security bad : List.of(Security.none().withToken(WRONG), Security.none())) {
            String why = bad.hasToken() ? "the call's token is not this cluster's" : "the call carries no token";
            String m = refusedByTheMaster(tokenOnly, BASE.security(bad));
            assertTrue(m.startsWith("CreateSession on the master at " + tokenOnly.spec.address("worker", 1)
                    + " failed: UNAUTHENTICATED: /job:worker/replica:0/task:1 refused "
                    + "nabla.distributed.MasterService/CreateSession: " + why), m);
            assertFalse(m.contains(WRONG), m);
            // a master in this process calls the workers with the wrong token: the first one refuses, named
            DistributedException e = assertThrows(DistributedException.class, () -> DistributedSession.create(
                    tokenOnly.spec, Cluster.PingPong.acrossWorkers().g(), BASE.security(bad)).close());
            assertTrue(e.getMessage().startsWith("GetStatus failed on task /job:worker/replica:0/task:0 ("
                    + tokenOnly.spec.address("worker", 0) + "): UNAUTHENTICATED: /job:worker/replica:0/task:0 "
                    + "refused nabla.distributed.WorkerService/GetStatus: " + why), e.getMessage());
            assertFalse(e.getMessage().contains(WRONG), e.getMessage());
        }
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override public InputStream stream(byte[] value) { return new ByteArrayInputStream(value); }

        @Override public byte[] parse(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** The status of {@code method} called with an empty request (a valid empty message of any type). */
    private static Status call(ManagedChannel channel, String method) {
        MethodDescriptor<byte[], byte[]> d = MethodDescriptor.newBuilder(BYTES, BYTES).setFullMethodName(method)
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING).build();   // a unary reply is a stream of one
        try {
            Iterator<byte[]> replies = ClientCalls.blockingServerStreamingCall(channel, d,
                    CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[0]);
            while (replies.hasNext()) replies.next();
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Test
    void everyMethodOfEveryServiceRefusesAWrongOrMissingToken() {
        Server task = tokenOnly.server(0);
        List<String> methods = task.methods();
        assertTrue(methods.contains("nabla.distributed.MasterService/RunStep"), methods.toString());
        assertTrue(methods.contains("nabla.distributed.WorkerService/RecvTensor"), methods.toString());
        assertTrue(methods.contains("nabla.distributed.CollectiveService/SendChunk"), methods.toString());
        for (Security bad : List.of(Security.none().withToken(WRONG), Security.none())) {
            ManagedChannel channel = Channels.open(tokenOnly.spec.address("worker", 0), BASE.security(bad));
            try {
                for (String method : methods) {
                    Status s = call(channel, method);
                    assertEquals(Status.Code.UNAUTHENTICATED, s.getCode(), method + ": " + s);
                    assertTrue(s.getDescription().startsWith("/job:worker/replica:0/task:0 refused " + method + ": "),
                            s.getDescription());
                    assertFalse(s.getDescription().contains(WRONG), s.getDescription());
                }
            } finally {
                channel.shutdownNow();
            }
        }
        // the right token gets through to the services (harmless calls only: the others would change state)
        ManagedChannel channel = Channels.open(tokenOnly.spec.address("worker", 0), BASE.security(Security.none()
                .withToken(TOKEN)));
        try {
            assertEquals(Status.Code.OK, call(channel, "nabla.distributed.WorkerService/GetStatus").getCode());
            assertEquals(Status.Code.OK, call(channel, "nabla.distributed.CollectiveService/DataPort").getCode());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aRingConnectionWithoutTheTokenIsClosedBeforeItsFramesAreTaken() throws Exception {
        for (String hello : List.of("localhost:1\nan impostor\n" + WRONG, "localhost:1\nan impostor")) {
            try (SocketChannel s = SocketChannel.open(new InetSocketAddress("localhost", tokenOnly.server(0)
                    .ringPort()))) {
                byte[] key = hello.getBytes(StandardCharsets.UTF_8);
                byte[] piece = "k".getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(0x4e52_4e47).putInt(key.length).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).put(key);
                b.putInt(0x4e52_4e47).putInt(piece.length).putInt(0).putInt(0).putInt(0).putInt(0).putInt(4)
                        .put(piece).putFloat(1f);
                b.flip();
                while (b.hasRemaining()) s.write(b);
                s.socket().setSoTimeout(5_000);
                assertTrue(closedByPeer(s), "the task closes a connection whose hello lacks the token");
            }
            assertEquals(0, tokenOnly.server(0).pendingCollectiveChunks(), "no frame of it was delivered");
        }
    }

    private static boolean closedByPeer(SocketChannel s) {
        try {
            return s.socket().getInputStream().read() == -1;
        } catch (IOException e) {
            return true;   // reset: the task closed with our bytes unread
        }
    }

    @Test
    void serverMainReadsTheTlsAndTokenOptions(@TempDir Path dir) throws IOException {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Server.Config c = ServerMain.parse(new String[] {"--job", "worker", "--task", "0", "--port", "0",
                "--tls-cert", certs.cert().toString(), "--tls-key", certs.key().toString(), "--tls-ca",
                certs.ca().toString(), "--tls-client-auth", "--token-file", tokenFile.toString()});
        assertEquals(certs.security(true).withToken(TOKEN), c.options().security());
        assertEquals(Security.none(), ServerMain.parse(new String[] {"--job", "worker", "--task", "0", "--port", "0"})
                .options().security().withToken(null));
    }

    @Test
    void badSecuritySettingsAreRefusedWithoutShowingTheToken() {
        assertEquals("TLS needs both a certificate chain (--tls-cert) and its private key (--tls-key), got only the "
                + "certificate", assertThrows(IllegalArgumentException.class,
                () -> Security.tls(certs.cert(), null, certs.ca())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Security.tls(null, null, certs.ca())
                .withClientAuth(true)).getMessage().startsWith("client authentication (--tls-client-auth) needs"));
        String spaced = "two words";
        String m = assertThrows(IllegalArgumentException.class, () -> Security.none().withToken(spaced)).getMessage();
        assertEquals("the token has a character that is not visible ASCII at position 3 (a token is letters, digits "
                + "and punctuation, no spaces)", m);
        assertEquals("Security[none]", Security.none().toString());
        assertFalse(Security.none().withToken(TOKEN).toString().contains(TOKEN));
        assertFalse(BASE.security(Security.none().withToken(TOKEN)).toString().contains(TOKEN));
        // a server with TLS trust roots but no certificate of its own cannot serve TLS
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Server.start(Server.Config
                .standalone("worker", 0, 0).withOptions(BASE.security(Security.tls(null, null, certs.ca())))));
        assertTrue(e.getMessage().contains("a server needs its own certificate and key (--tls-cert, --tls-key)"),
                e.getMessage());
        // a key file that is not there is named
        e = assertThrows(IllegalArgumentException.class, () -> Server.start(Server.Config.standalone("worker", 0, 0)
                .withOptions(BASE.security(Security.tls(certs.cert(), certs.ca().resolveSibling("missing.key"),
                        certs.ca())))));
        assertTrue(e.getMessage().contains("missing.key"), e.getMessage());
    }
}
