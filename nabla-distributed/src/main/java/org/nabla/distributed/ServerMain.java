package org.nabla.distributed;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.nabla.io.TextFiles;

/**
 * Starts one task's {@link Server} in this process and serves until killed: the main class tests start worker
 * processes with, and what {@code nabla server} calls. The task comes from, in this order:
 *
 * <ol>
 *   <li>{@code --job NAME --task N} (with {@code --port P}, or the task's port in {@code --cluster FILE});</li>
 *   <li>{@code --cluster FILE} holding a whole TF_CONFIG (cluster and task);</li>
 *   <li>the {@code TF_CONFIG} environment variable.</li>
 * </ol>
 *
 * {@code --cpus N} gives the worker N CPU devices (default 1). {@code --tls-cert F --tls-key F [--tls-ca F]
 * [--tls-client-auth]} turn TLS on, {@code --token-file F} (or the {@value Security#TOKEN_ENV} environment variable)
 * asks every call for the cluster's token ({@link Security}). Once listening it prints one line,
 * {@code nabla server: /job:worker/replica:0/task:1 listening on port 2223 ...}, which launchers may wait for.
 */
public final class ServerMain {
    private ServerMain() {}

    /** The line printed once the server listens starts with this. */
    public static final String READY = "nabla server: ";

    public static void main(String[] args) {
        try {
            Server.Config config = parse(args);
            Server server = Server.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nabla-server-shutdown"));
            announce(server, System.out);
            server.awaitTermination();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("nabla server: " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints the ready line. */
    public static void announce(Server server, PrintStream out) {
        out.println(READY + server.task() + " listening on port " + server.port() + " (incarnation "
                + Long.toHexString(server.incarnation()) + ", devices " + server.devices() + ")");
        out.flush();
    }

    static Server.Config parse(String[] args) throws IOException {
        String job = null;
        Integer task = null;
        Integer port = null;
        Path cluster = null;
        int cpus = 1;
        Path cert = null;
        Path key = null;
        Path ca = null;
        Path tokenFile = null;
        boolean clientAuth = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException("usage: [--job NAME --task N] [--port P] [--cluster FILE] "
                        + "[--cpus N] [--tls-cert F --tls-key F] [--tls-ca F] [--tls-client-auth] [--token-file F]; "
                        + "without --job the task comes from --cluster (a TF_CONFIG file) or TF_CONFIG");
            }
            if (a.equals("--tls-client-auth")) {
                clientAuth = true;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--job" -> job = v;
                case "--task" -> task = number(a, v);
                case "--port" -> port = number(a, v);
                case "--cluster" -> cluster = Path.of(v);
                case "--cpus" -> cpus = number(a, v);
                case "--tls-cert" -> cert = Path.of(v);
                case "--tls-key" -> key = Path.of(v);
                case "--tls-ca" -> ca = Path.of(v);
                case "--token-file" -> tokenFile = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + " (--job, --task, --port, "
                        + "--cluster, --cpus, --tls-cert, --tls-key, --tls-ca, --tls-client-auth, --token-file)");
            }
        }
        Security security = Security.of(cert, key, ca, clientAuth, tokenFile, System.getenv(Security.TOKEN_ENV));
        return config(cluster, job, task, port, cpus, System.getenv(TfConfig.ENV), security);
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + option + " takes a number, got '" + v + "'");
        }
    }

    /** {@link #config(Path, String, Integer, Integer, int, String, Security)} with no TLS and no token. */
    public static Server.Config config(Path clusterFile, String job, Integer task, Integer port, int cpus,
                                       String tfConfig) throws IOException {
        return config(clusterFile, job, task, port, cpus, tfConfig, Security.none());
    }

    /**
     * The server configuration these options describe ({@code tfConfig}: the TF_CONFIG environment value, or null;
     * {@code security}: TLS and token, {@link Security#of}). Shared by {@code nabla server}.
     */
    public static Server.Config config(Path clusterFile, String job, Integer task, Integer port, int cpus,
                                       String tfConfig, Security security) throws IOException {
        Server.Config c;
        if (job != null || task != null) {
            if (job == null || task == null) throw new IllegalArgumentException("give both --job and --task");
            ClusterSpec cluster = clusterFile == null ? null
                    : TfConfig.parseCluster(TextFiles.readUtf8(clusterFile), clusterFile.toString());
            c = new Server.Config(cluster, job, task, port != null ? port : -1, cpus, DistributedOptions.defaults());
        } else if (clusterFile != null) {
            c = Server.Config.of(TfConfig.read(clusterFile));
        } else if (tfConfig != null && !tfConfig.isBlank()) {
            c = Server.Config.of(TfConfig.parse(tfConfig, "TF_CONFIG (environment variable)"));
        } else {
            throw new IllegalArgumentException("which task? give --job and --task (and --port), --cluster FILE with a "
                    + "TF_CONFIG, or set TF_CONFIG");
        }
        if (port != null && c.port() != port) c = c.withPort(port);
        return c.withCpuDevices(cpus).withOptions(c.options().security(security));
    }
}
