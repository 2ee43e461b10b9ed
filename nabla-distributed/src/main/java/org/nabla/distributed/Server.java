package org.nabla.distributed;

import org.nabla.distributed.collective.CollectiveGroup;
import org.nabla.distributed.collective.CollectiveMailbox;
import org.nabla.distributed.collective.RingSockets;
import org.nabla.distributed.job.JobHost;
import org.nabla.distributed.master.Master;
import org.nabla.distributed.ps.ParameterServers;
import org.nabla.distributed.ps.ParameterService;
import org.nabla.distributed.rpc.Channels;
import org.nabla.distributed.rpc.Credentials;
import org.nabla.distributed.rpc.TokenCheck;
import org.nabla.distributed.worker.Worker;

import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.nabla.device.DeviceSpec;

/**
 * One task of a cluster (TensorFlow's {@code tf.distribute.Server}): a gRPC server on one port hosting the task's
 * worker service (its CPU devices, named for the task) and a master service, so a client can run a graph on the
 * cluster through any task ({@code DistributedSession.connect("grpc://host:port", graph)}). Start it with
 * {@link #start}; {@link #close()} stops it. The {@code nabla server} command and {@link ServerMain} start one in a
 * process of its own.
 */
public final class Server implements AutoCloseable {
    /** Start, stop and failures of servers (java.util.logging by default; see docs/configuration.md). */
    private static final System.Logger LOG = System.getLogger("org.nabla.distributed");

    private final io.grpc.Server grpc;
    private final Worker worker;
    private final Master master;
    private final Channels channels;
    private final CollectiveMailbox mailbox;
    /** The all-reduce's data plane (null when the options choose gRPC for it). */
    private final RingSockets sockets;
    private final ClusterSpec cluster;
    private final Config config;
    private CollectiveGroup collectives;
    /** Hosts the variables of parameter-server training placed on this task (every task runs it; ps tasks get them). */
    private final ParameterService parameters;
    private ParameterServers parameterServers;
    private final int port;

    /**
     * How to start a task.
     *
     * @param cluster    the cluster's tasks (the master's reach); null: this task alone, as
     *                   {@code {job: ["localhost:port"]}}
     * @param job        this task's job
     * @param task       this task's index in the job
     * @param port       the port to listen on; -1: the port of this task's address in the cluster; 0: any free port
     * @param cpuDevices the number of CPU devices the worker hosts
     * @param options    deadlines and size limits
     */
    public record Config(ClusterSpec cluster, String job, int task, int port, int cpuDevices,
                         DistributedOptions options) {
        public Config {
            if (job == null) throw new IllegalArgumentException("server: no job name");
            if (task < 0) throw new IllegalArgumentException("server: task index must be >= 0, got " + task);
            if (!job.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("server: bad job name '" + job + "' (letters, digits, '_', '.', '-')");
            }
            if (cluster != null && !cluster.has(job, task)) {
                throw new IllegalArgumentException("server: task " + task + " of job \"" + job + "\" is not in the "
                        + "cluster (" + cluster.describe() + ")");
            }
            if (port < -1 || port > 65535) throw new IllegalArgumentException("server: bad port " + port);
            if (port == -1 && cluster == null) {
                throw new IllegalArgumentException("server: give a port, or a cluster holding this task's address");
            }
            if (cpuDevices < 1) throw new IllegalArgumentException("server: cpuDevices must be >= 1");
            if (options == null) options = DistributedOptions.defaults();
        }

        /** The task TF_CONFIG names, on the port of its address there. */
        public static Config of(TfConfig tf) {
            return new Config(tf.cluster(), tf.taskType(), tf.taskIndex(), -1, 1, DistributedOptions.defaults());
        }

        /** A task with no cluster (a master there reaches only this task) on {@code port} (0: any free one). */
        public static Config standalone(String job, int task, int port) {
            return new Config(null, job, task, port, 1, DistributedOptions.defaults());
        }

        public Config withCpuDevices(int n) { return new Config(cluster, job, task, port, n, options); }

        public Config withOptions(DistributedOptions o) { return new Config(cluster, job, task, port, cpuDevices, o); }

        public Config withPort(int p) { return new Config(cluster, job, task, p, cpuDevices, options); }
    }

    private Server(io.grpc.Server grpc, Worker worker, Master master, Channels channels, CollectiveMailbox mailbox,
                   RingSockets sockets, ParameterService parameters, ClusterSpec cluster, Config config) {
        this.sockets = sockets;
        this.parameters = parameters;
        this.grpc = grpc;
        this.worker = worker;
        this.master = master;
        this.channels = channels;
        this.mailbox = mailbox;
        this.cluster = cluster;
        this.config = config;
        this.port = grpc.getPort();
    }

    /** Starts the task's server; fails if the port is taken. */
    public static Server start(Config config) throws IOException { return start(config, List.of()); }

    /**
     * {@link #start(Config)} with {@code interceptors} around every service, inside the token check (tests inject
     * faults with them).
     */
    static Server start(Config config, List<ServerInterceptor> interceptors) throws IOException {
        int port = config.port();
        if (port == -1) {
            String a = config.cluster().address(config.job(), config.task());
            port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
        }
        DistributedOptions options = config.options();
        Security security = options.security();
        Channels channels = new Channels(options);
        Worker worker = new Worker(config.job(), config.task(), config.cpuDevices(), channels);
        ServerCredentials credentials;
        try {
            credentials = Credentials.server(security, "server " + worker.task());
        } catch (IllegalArgumentException e) {
            channels.close();
            throw e;
        }
        AtomicReference<Master> master = new AtomicReference<>();
        AtomicReference<Server> self = new AtomicReference<>();
        CollectiveMailbox mailbox = new CollectiveMailbox(options.maxTensorBytes());
        RingSockets sockets = null;
        if (options.useRingSockets()) {
            try {
                sockets = new RingSockets(mailbox, options.chunkBytes(), security.token());
            } catch (IOException e) {
                channels.close();
                throw new IOException("cannot open the ring socket of " + worker.task() + ": " + e.getMessage(), e);
            }
            mailbox.dataPort(sockets.port());
        }
        ParameterService parameters = new ParameterService(worker.task().toString(), worker.incarnation(),
                config.options().maxTensorBytes());
        io.grpc.Server grpc;
        try {
            NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(port), credentials)
                    .maxInboundMessageSize(options.maxMessageBytes())
                    .addService(worker)
                    .addService(mailbox)
                    .addService(new JobHost(() -> {
                        Server started = self.get();
                        if (started == null) throw new IllegalStateException(worker.task() + " is still starting");
                        return started;
                    }))
                    .addService(parameters)
                    .addService(Master.service(() -> {
                        Master m = master.get();
                        if (m == null) throw new IllegalStateException(worker.task() + " is still starting");
                        return m;
                    }));
            for (ServerInterceptor i : interceptors) b.intercept(i);
            // added last, so it runs first: a call without the token reaches nothing else
            if (security.hasToken()) b.intercept(TokenCheck.server(security.token(), worker.task().toString()));
            grpc = b.build().start();
        } catch (IOException | RuntimeException e) {
            channels.close();
            if (sockets != null) sockets.close();
            if (e instanceof RuntimeException r) throw r;
            throw new IOException("cannot start " + worker.task() + " on port " + port + ": " + e.getMessage(), e);
        }
        ClusterSpec cluster = config.cluster() != null ? config.cluster()
                : ClusterSpec.of(Map.of(config.job(), List.of("localhost:" + grpc.getPort())));
        if (config.cluster() == null && config.task() != 0) {
            // a lone task keeps its index: its cluster has just that task
            cluster = ClusterSpec.ofTasks(Map.of(config.job(), Map.of(config.task(), "localhost:" + grpc.getPort())),
                    "server");
        }
        master.set(new Master(cluster, channels));
        self.set(new Server(grpc, worker, master.get(), channels, mailbox, sockets, parameters, cluster, config));
        LOG.log(System.Logger.Level.INFO, () -> worker.task() + " serving on port " + grpc.getPort()
                + (security.tls() ? ", TLS" : ", plaintext") + (security.hasToken() ? ", token required" : "")
                + (self.get().ringPort() >= 0 ? ", ring data on port " + self.get().ringPort() : ""));
        return self.get();
    }

    /**
     * The replicas this task trains with ({@link #replicaTasks}: the chief and the workers, or this task's job) as a
     * group for collectives (ring all-reduce), this task at its rank; buckets of
     * {@link CollectiveGroup#DEFAULT_BUCKET_BYTES}. Every task of the group must be running a server.
     */
    public synchronized CollectiveGroup collectives() {
        if (collectives != null) return collectives;
        List<String> members = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (DeviceSpec t : replicaTasks(cluster, config.job())) {
            members.add(t.toString());
            addresses.add(cluster.address(t));
        }
        collectives = new CollectiveGroup(members, addresses, members.indexOf(task().toString()), channels, mailbox,
                sockets, CollectiveGroup.DEFAULT_BUCKET_BYTES, new AtomicLong());
        return collectives;
    }

    /**
     * The tasks that train as replicas together with a task of {@code job}, in replica order: for the chief and the
     * workers, the chief task(s) then the workers by index (TensorFlow's multi-worker convention: the chief is
     * replica 0); for any other job, its own tasks.
     */
    public static List<DeviceSpec> replicaTasks(ClusterSpec cluster, String job) {
        List<String> jobs = job.equals("chief") || job.equals("worker") ? List.of("chief", "worker") : List.of(job);
        List<DeviceSpec> out = new ArrayList<>();
        for (String j : jobs) {
            List<Integer> indices = new ArrayList<>(cluster.tasks(j).keySet());
            Collections.sort(indices);
            for (int i : indices) out.add(new DeviceSpec(j, 0, i, null, -1));
        }
        return out;
    }

    /** The ps tasks of this task's cluster, as a client reaches them (parameter-server training). */
    public synchronized ParameterServers parameterServers() {
        if (parameterServers == null) parameterServers = new ParameterServers(cluster, channels);
        return parameterServers;
    }

    /** The variables of parameter-server training this task hosts (tests and tools inspect them). */
    public ParameterService parameterService() { return parameters; }

    /** The port of the all-reduce's ring socket; -1 when the all-reduce goes over gRPC (asked for, or TLS on). */
    public int ringPort() { return sockets == null ? -1 : sockets.port(); }

    /** Collective chunks received and not yet used (0 once every collective finished). */
    public int pendingCollectiveChunks() { return mailbox.pending(); }

    /** The port the server listens on. */
    public int port() { return port; }

    /** {@code grpc://localhost:PORT}: what {@link DistributedSession#connect} takes to use this task's master. */
    public String target() { return "grpc://localhost:" + port; }

    /** The task: {@code /job:worker/replica:0/task:1}. */
    public DeviceSpec task() { return worker.task(); }

    /** The worker's incarnation (random, drawn at start). */
    public long incarnation() { return worker.incarnation(); }

    /** The full names of the worker's devices. */
    public List<String> devices() { return worker.devices().stream().map(d -> d.name()).toList(); }

    /** Steps with state on this task's worker (0 once every step was cleaned up). */
    int liveSteps() { return worker.liveSteps(); }

    /** The full names of every method this server serves (tests check that each one refuses strangers). */
    List<String> methods() {
        return grpc.getServices().stream().flatMap(d -> d.getMethods().stream())
                .map(m -> m.getMethodDescriptor().getFullMethodName()).toList();
    }

    /** The task's worker service (tests reach its step state through it). */
    public Worker worker() { return worker; }

    /** Blocks until the server stops. */
    public void awaitTermination() throws InterruptedException { grpc.awaitTermination(); }

    /** Stops serving (calls in flight are cancelled), frees the worker's sessions and closes the channels. */
    @Override
    public void close() {
        LOG.log(System.Logger.Level.DEBUG, () -> worker.task() + " stopping");
        master.close();
        mailbox.close(worker.task() + " stopped");
        parameters.close(worker.task() + " stopped");
        if (sockets != null) sockets.close();
        grpc.shutdownNow();
        try {
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.close();
        channels.close();
    }
}
