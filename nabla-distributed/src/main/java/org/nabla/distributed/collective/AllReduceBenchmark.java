package org.nabla.distributed.collective;

import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.Server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * Measures the ring all-reduce on loopback: n servers in this process each reduce one float32 tensor, against a plain
 * TCP copy (java.nio {@code SocketChannel}) of the same bytes over loopback in the same run. Reported: the time per
 * all-reduce, its algorithm bandwidth (tensor bytes / time) and bus bandwidth (what each task sent per second, the
 * tensor bytes times 2(n-1)/n / time, comparable with one TCP stream), as NCCL's tests report them. {@code nabla
 * bench-distributed} runs it.
 */
public final class AllReduceBenchmark {
    private AllReduceBenchmark() {}

    /** One measurement. */
    public record Result(int workers, long bytes, double allReduceMs, double algGBs, double busGBs, double tcpGBs) {
        public String row() {
            return String.format("| %d | %d MB | %.1f ms | %.2f GB/s | %.2f GB/s | %.2f GB/s | %.0f%% |", workers,
                    bytes >> 20, allReduceMs, algGBs, busGBs, tcpGBs, 100 * busGBs / tcpGBs);
        }
    }

    public static final String HEADER = "| workers | tensor | all-reduce | algorithm bw | bus bw | TCP copy | bus/TCP |\n"
            + "|---|---|---|---|---|---|---|";

    /**
     * Every (workers, bytes) pair: {@code iterations} timed runs each, after at least as many warm-up runs and
     * {@code warmUpSeconds} of them (gRPC's and the JIT's warm-up is long: a 2 MiB message is twice as slow in its
     * first 40 calls as after 300).
     */
    public static List<Result> run(int[] workers, long[] bytes, int iterations, double warmUpSeconds, PrintStream out)
            throws Exception {
        return run(workers, bytes, iterations, warmUpSeconds, DistributedOptions.defaults(), out);
    }

    /** As {@link #run(int[], long[], int, double, PrintStream)}, the servers started with {@code options}. */
    public static List<Result> run(int[] workers, long[] bytes, int iterations, double warmUpSeconds,
                                   DistributedOptions options, PrintStream out) throws Exception {
        List<Result> results = new ArrayList<>();
        out.println(HEADER);
        for (int n : workers) {
            List<Server> servers = startLocal(n, options);
            try {
                for (long b : bytes) {
                    Result r = measure(servers, b, iterations, (long) (warmUpSeconds * 1e9));
                    results.add(r);
                    out.println(r.row());
                }
            } finally {
                for (Server s : servers) s.close();
            }
        }
        return results;
    }

    private static void runOnce(ExecutorService pool, List<CollectiveGroup> groups, Tensor t) throws Exception {
        List<Future<?>> fs = new ArrayList<>();
        for (CollectiveGroup g : groups) fs.add(pool.submit(() -> g.allReduce(List.of(t))));
        for (Future<?> f : fs) f.get();
    }

    private static Result measure(List<Server> servers, long bytes, int iterations, long warmUpNanos)
            throws Exception {
        int n = servers.size();
        int elements = (int) (bytes / 4);
        List<CollectiveGroup> groups = new ArrayList<>();
        for (Server s : servers) groups.add(s.collectives());
        Tensor t = Tensors.of(new float[elements], elements);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        long total = 0;
        try {
            long warmUpEnd = System.nanoTime() + warmUpNanos;
            for (int it = 0; it < iterations || System.nanoTime() < warmUpEnd; it++) runOnce(pool, groups, t);
            for (int it = 0; it < iterations; it++) {
                long t0 = System.nanoTime();
                runOnce(pool, groups, t);
                total += System.nanoTime() - t0;
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = total / 1e9 / iterations;
        double alg = bytes / seconds / 1e9;
        double tcp = tcpCopy(bytes, iterations);
        return new Result(n, bytes, seconds * 1e3, alg, alg * 2 * (n - 1) / n, tcp);
    }

    /** GB/s of sending {@code bytes} over one loopback TCP connection (mean of {@code iterations} copies). */
    public static double tcpCopy(long bytes, int iterations) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                Future<?> reader = pool.submit(() -> {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
                        ByteBuffer ack = ByteBuffer.allocate(1);
                        for (int it = 0; it < 2 * iterations; it++) {
                            long left = bytes;
                            while (left > 0) {
                                in.clear();
                                if (left < in.capacity()) in.limit((int) left);
                                int r = c.read(in);
                                if (r < 0) throw new IOException("closed early");
                                left -= r;
                            }
                            ack.clear();
                            c.write(ack);
                        }
                    }
                    return null;
                });
                byte[] data = new byte[(int) bytes];           // sent from a heap array, as gRPC's messages are
                ByteBuffer ack = ByteBuffer.allocate(1);
                long total = 0;
                for (int it = 0; it < 2 * iterations; it++) {
                    long t0 = System.nanoTime();
                    ByteBuffer out = ByteBuffer.wrap(data);
                    while (out.hasRemaining()) client.write(out);
                    ack.clear();
                    while (ack.hasRemaining()) client.read(ack);
                    if (it >= iterations) total += System.nanoTime() - t0;
                }
                reader.get();
                return bytes / (total / 1e9 / iterations) / 1e9;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** {@code n} worker servers on free loopback ports in this process, each knowing the others. */
    static List<Server> startLocal(int n, DistributedOptions options) throws IOException {
        for (int attempt = 0; ; attempt++) {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                try (ServerSocket s = new ServerSocket(0)) {
                    addresses.add("localhost:" + s.getLocalPort());
                }
            }
            ClusterSpec spec = ClusterSpec.of(Map.of("worker", addresses));
            List<Server> servers = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    servers.add(Server.start(new Server.Config(spec, "worker", i, -1, 1, options)));
                }
                return servers;
            } catch (IOException e) {
                for (Server s : servers) s.close();
                if (attempt == 2) throw e;       // a port was taken between choosing and binding it
            }
        }
    }
}
