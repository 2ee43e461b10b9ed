package org.nabla.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nabla.distributed.ServerMain;
import org.nabla.io.AtomicFiles;

/**
 * Worker processes on this machine, one {@code nabla server} JVM per task of job "worker", described by a cluster file
 * that {@code nabla train --cluster} reads. A worker that exits is started again on its port (unless restarts are
 * off), which is what lets a run with --max-restarts survive a killed worker. Closing stops them all.
 */
final class LocalCluster implements AutoCloseable {
    private final List<String> addresses;
    private final Path clusterFile;
    private final boolean restart;
    private final PrintStream out;
    private final List<String> serverArguments;
    private final Process[] processes;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean closed;

    private LocalCluster(List<String> addresses, Path clusterFile, boolean restart, List<String> serverArguments,
                         PrintStream out) {
        this.serverArguments = List.copyOf(serverArguments);
        this.addresses = List.copyOf(addresses);
        this.clusterFile = clusterFile;
        this.restart = restart;
        this.out = out;
        this.processes = new Process[addresses.size()];
    }

    /**
     * Writes the cluster file for {@code n} workers on localhost ports {@code firstPort}, +1, ... (any free ports when
     * 0), starts them ({@code serverArguments} added to each one's {@code nabla server}: TLS and token options) and
     * waits until each listens.
     */
    static LocalCluster start(int n, int firstPort, Path clusterFile, boolean restart, List<String> serverArguments,
                              PrintStream out) throws IOException {
        if (n < 1 || n > 64) throw new IllegalArgumentException("cluster-local: N must be 1..64, got " + n);
        if (firstPort < 0 || firstPort + n - 1 > 65535) {
            throw new IllegalArgumentException("cluster-local: --port must be 0 (any free ports) or 1.." + (65536 - n)
                    + ", got " + firstPort);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) addresses.add("localhost:" + (firstPort == 0 ? freePort() : firstPort + i));
        StringBuilder json = new StringBuilder("{\"cluster\": {\"worker\": [");
        for (int i = 0; i < n; i++) json.append(i == 0 ? "" : ", ").append('"').append(addresses.get(i)).append('"');
        json.append("]}}\n");
        AtomicFiles.write(clusterFile, json.toString().getBytes(StandardCharsets.UTF_8));
        LocalCluster c = new LocalCluster(addresses, clusterFile, restart, serverArguments, out);
        try {
            List<CompletableFuture<String>> ready = new ArrayList<>();
            for (int i = 0; i < n; i++) ready.add(c.launch(i));
            for (int i = 0; i < n; i++) {
                try {
                    ready.get(i).get(120, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException("cluster-local: worker " + i + " (" + addresses.get(i) + ") did not start: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The workers' addresses, by task index. */
    List<String> addresses() { return addresses; }

    /** The process of worker {@code i} now (a new one after a restart). */
    synchronized Process process(int i) { return processes[i]; }

    /** How many times a worker was started again. */
    int restarts() { return restarts.get(); }

    /** Starts worker {@code i}; completes once it listens. Its output goes to {@code out}, each line tagged. */
    private synchronized CompletableFuture<String> launch(int i) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")) cmd.add(a);
        }
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName(), "server", "--cluster", clusterFile.toString(), "--job", "worker",
                "--task", Integer.toString(i)));
        cmd.addAll(serverArguments);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes[i] = p;
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("cluster-local-worker-" + i).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.startsWith("WARNING: Using incubator modules")) out.println("[worker " + i + "] " + line);
                    if (line.startsWith(ServerMain.READY)) ready.complete(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException("exited with code " + exitCode(p)));
        });
        p.onExit().thenRun(() -> {
            // a worker that never listened (a taken port, a bad class path) would only fail again
            boolean listened = ready.isDone() && !ready.isCompletedExceptionally();
            if (closed || !restart || !listened) return;
            out.println("nabla cluster-local: worker " + i + " (" + addresses.get(i) + ") exited with code "
                    + exitCode(p) + "; starting it again");
            try {
                Thread.sleep(500);
                if (!closed) {
                    restarts.incrementAndGet();
                    launch(i);
                }
            } catch (IOException | InterruptedException e) {
                out.println("nabla cluster-local: cannot restart worker " + i + ": " + e.getMessage());
            }
        });
        return ready;
    }

    private static String exitCode(Process p) {
        try {
            return Integer.toString(p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Waits until closed (by a shutdown hook, from another thread). */
    void awaitClose() throws InterruptedException {
        synchronized (this) {
            while (!closed) wait();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (int i = 0; i < processes.length; i++) {
            Process p = process(i);
            if (p != null) p.destroy();
        }
        for (int i = 0; i < processes.length; i++) {
            Process p = process(i);
            try {
                if (p != null && !p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
