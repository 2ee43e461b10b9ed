package org.nabla.distributed;

import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;

/** Test helpers: worker servers on loopback ports in this JVM, and a graph whose values cross two tasks both ways. */
public final class Cluster implements AutoCloseable {
    public final List<Server> servers = new ArrayList<>();
    public final ClusterSpec spec;
    private final Map<String, Server> byJob = new LinkedHashMap<>();

    /**
     * {@code n} worker tasks on free loopback ports, each knowing the whole cluster (so any master reaches all). A port
     * taken between choosing and binding it (other builds share the machine) means a fresh try with new ports.
     */
    public Cluster(int n, DistributedOptions options) throws IOException { this(n, options, i -> List.of()); }

    /** {@link #Cluster(int, DistributedOptions)} with {@code interceptors.apply(i)} around task i's services. */
    Cluster(int n, DistributedOptions options, IntFunction<List<ServerInterceptor>> interceptors) throws IOException {
        this(Map.of("worker", n), options, interceptors);
    }

    /** {@code jobs.get(job)} tasks of each job (servers in the order of the job names, then task indices). */
    public Cluster(Map<String, Integer> jobs, DistributedOptions options) throws IOException {
        this(jobs, options, i -> List.of());
    }

    /**
     * {@code jobs.get(job)} tasks of each job; {@code interceptors.apply(k)} around the services of the k-th server
     * started (in the order of {@link #servers}).
     */
    private Cluster(Map<String, Integer> jobs, DistributedOptions options,
                    IntFunction<List<ServerInterceptor>> interceptors) throws IOException {
        List<String> names = new ArrayList<>(new TreeMap<>(jobs).keySet());
        ClusterSpec chosen = null;
        for (int attempt = 0; chosen == null; attempt++) {
            Map<String, List<String>> addresses = new LinkedHashMap<>();
            for (String job : names) {
                List<String> a = new ArrayList<>();
                for (int i = 0; i < jobs.get(job); i++) a.add("localhost:" + freePort());
                addresses.put(job, a);
            }
            ClusterSpec spec = ClusterSpec.of(addresses);
            try {
                for (String job : names) {
                    for (int i = 0; i < jobs.get(job); i++) {
                        Server s = Server.start(new Server.Config(spec, job, i, -1, 1, options),
                                interceptors.apply(servers.size()));
                        servers.add(s);
                        byJob.put(job + ":" + i, s);
                    }
                }
                chosen = spec;
            } catch (IOException | RuntimeException e) {
                close();
                servers.clear();
                byJob.clear();
                if (attempt == 2) throw e;
            }
        }
        spec = chosen;
    }

    public Server server(int i) { return servers.get(i); }

    /** Task {@code i} of {@code job}. */
    public Server server(String job, int i) {
        Server s = byJob.get(job + ":" + i);
        if (s == null) throw new IllegalArgumentException("no task " + i + " of job " + job);
        return s;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Server s : servers) s.close();
    }

    /**
     * x (fed, on {@code t0}) -> h = tanh(x @ w) on {@code t1} -> c = h + x on {@code t0} -> d = sum(c * c) on
     * {@code t1}: x and c cross from t0 to t1, h from t1 to t0.
     */
    public record PingPong(Graph g, Tensor x, Tensor h, Tensor c, Tensor d) {
        public static PingPong build(String t0, String t1) {
            Graph g = new Graph();
            try (ExecutionContext.Scope s = g.asDefault()) {
                Tensor x;
                Tensor h;
                Tensor c;
                Tensor d;
                try (Graph.ControlScope scope = g.device(t0)) {
                    x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
                }
                try (Graph.ControlScope scope = g.device(t1)) {
                    Tensor w = g.constant("w", new float[][] {{1, 0, -1}, {0.5f, 2, 0}, {0, -1, 3}});
                    h = Ops.tanh(Ops.matmul(x, w));
                }
                try (Graph.ControlScope scope = g.device(t0)) {
                    c = Ops.add(Ops.mul(h, 2f), x);
                }
                try (Graph.ControlScope scope = g.device(t1)) {
                    d = Ops.sum(Ops.mul(c, c));
                }
                return new PingPong(g, x, h, c, d);
            }
        }

        public static PingPong acrossWorkers() { return build("/job:worker/task:0", "/job:worker/task:1"); }

        public static PingPong local() { return build("/device:CPU:0", "/device:CPU:1"); }
    }
}
