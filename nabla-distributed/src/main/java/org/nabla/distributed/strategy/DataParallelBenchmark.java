package org.nabla.distributed.strategy;

import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.Server;
import org.nabla.distributed.collective.AllReduceBenchmark;
import org.nabla.distributed.collective.CollectiveGroup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;

/**
 * Data-parallel scaling of a reference model on loopback ({@code nabla bench-distributed --model cnn}): for each
 * worker count n it starts n worker JVMs (one core each: {@code -XX:ActiveProcessorCount=1 -Dnabla.threads=1}), which
 * train the model with {@link MultiWorkerMirroredStrategy} (gradients in all-reduce ops of {@code packBytes}) and {@code Model.fit}'s traced step on a fixed synthetic
 * batch of {@code batchPerWorker} examples per worker (weak scaling: the global batch grows with n). Reported per n:
 * global samples/s over the timed steps (after warm-up steps that trace and JIT-compile), the scaling efficiency
 * against n times the 1-worker rate, worker 0's process CPU time per step (on a shared machine, CPU per step
 * growing with n is the cost of distribution, whereas a longer wall-clock step may only be a lack of cores), and the
 * bandwidth of a 4 MiB all-reduce among the same worker processes next to
 * a plain loopback TCP copy of the same bytes measured by worker 0 in the same run.
 */
public final class DataParallelBenchmark {
    /** The line a worker prints its results on. */
    static final String RESULT = "nabla-bench-result";
    private static final long ALL_REDUCE_BYTES = 4L << 20;

    private DataParallelBenchmark() {}

    /** What one worker count gave. */
    public record Result(int workers, int globalBatch, double samplesPerSecond, double stepMs, double cpuMsPerStep,
                         double allReduceMs, double busGBs, double tcpGBs) {
        String row(double oneWorkerRate) {
            String eff = oneWorkerRate > 0 ? String.format(Locale.ROOT, "%.0f%%",
                    100 * samplesPerSecond / (workers * oneWorkerRate)) : "-";
            String ar = workers == 1 ? "| - | - | - | - |" : String.format(Locale.ROOT,
                    "| %.1f ms | %.2f GB/s | %.2f GB/s | %.0f%% |", allReduceMs, busGBs, tcpGBs, 100 * busGBs / tcpGBs);
            return String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %s | %.1f ms | %.1f ms ", workers,
                    globalBatch, samplesPerSecond, samplesPerSecond / workers, eff, stepMs, cpuMsPerStep) + ar;
        }
    }

    public static final String HEADER = "| workers | global batch | samples/s | per worker | scaling efficiency | step "
            + "| CPU per step | all-reduce 4 MiB | bus bw | TCP copy | bus/TCP |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|";

    /**
     * Runs every worker count of {@code workers}, printing a row each to {@code out}; {@code steps} timed steps after
     * {@code warmUpSteps}.
     */
    public static List<Result> run(String model, int[] workers, int batchPerWorker, int warmUpSteps, int steps,
                                   long packBytes, PrintStream out) throws Exception {
        return run(model, workers, batchPerWorker, warmUpSteps, steps, packBytes,
                System.getProperty("java.class.path"), out);
    }

    /** As {@link #run(String, int[], int, int, int, long, PrintStream)}, the workers started with {@code classPath}. */
    static List<Result> run(String model, int[] workers, int batchPerWorker, int warmUpSteps, int steps,
                            long packBytes, String classPath, PrintStream out) throws Exception {
        if (!model.equals("cnn") && !model.equals("mlp")) {
            throw new IllegalArgumentException("--model must be cnn or mlp, got " + model);
        }
        if (batchPerWorker < 1 || steps < 1 || warmUpSteps < 1) {
            throw new IllegalArgumentException("batch, steps and warm-up steps must be >= 1");
        }
        for (int n : workers) {
            if (n < 1) throw new IllegalArgumentException("--workers: counts must be >= 1, got " + n);
        }
        out.println(HEADER);
        List<Result> results = new ArrayList<>();
        double one = -1;
        for (int n : workers) {
            Result r = runWorkers(model, n, batchPerWorker, warmUpSteps, steps, packBytes, classPath);
            if (n == 1) one = r.samplesPerSecond();
            results.add(r);
            out.println(r.row(one));
        }
        return results;
    }

    private static Result runWorkers(String model, int n, int batch, int warmUp, int steps, long packBytes,
                                     String classPath) throws Exception {
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                ports.add(String.valueOf(s.getLocalPort()));
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                List<String> cmd = List.of(java, "--add-modules=jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-XX:ActiveProcessorCount=1", "-Dnabla.threads=1", "-XX:+UseParallelGC", "-Xmx1g",
                        "-cp", classPath, DataParallelBenchmark.class.getName(),
                        model, String.join(",", ports), String.valueOf(i), String.valueOf(batch),
                        String.valueOf(warmUp), String.valueOf(steps), String.valueOf(packBytes));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                Thread.ofVirtual().start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) lines.add(line);
                    } catch (IOException e) {
                        // the process is gone
                    }
                });
                procs.add(p);
                outputs.add(lines);
            }
            for (int i = 0; i < n; i++) {
                Process p = procs.get(i);
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("benchmark worker " + i + " of " + n + " failed: " + outputs.get(i));
                }
            }
            Thread.sleep(100);   // the readers drain the last lines
            String line = outputs.get(0).stream().filter(l -> l.startsWith(RESULT)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("worker 0 printed no result: " + outputs.get(0)));
            String[] f = line.split(" ");
            return new Result(n, n * batch, Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]));
        } finally {
            for (Process p : procs) p.destroyForcibly();
        }
    }

    /**
     * One worker: {@code MODEL PORTS TASK BATCH WARMUP STEPS PACK_BYTES}, PORTS the loopback ports of all workers, comma
     * separated. Worker 0 prints {@value #RESULT} samples/s, step ms, CPU ms per step, all-reduce ms, bus GB/s, TCP GB/s.
     */
    public static void main(String[] args) throws Exception {
        String model = args[0];
        List<String> addresses = new ArrayList<>();
        for (String p : args[1].split(",")) addresses.add("localhost:" + p);
        int task = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int warmUp = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        long packBytes = Long.parseLong(args[6]);
        int n = addresses.size();
        DistributedOptions options = DistributedOptions.defaults().stepTimeout(Duration.ofMinutes(2));
        ClusterSpec spec = ClusterSpec.of(Map.of("worker", addresses));
        try (Server server = Server.start(new Server.Config(spec, "worker", task, -1, 1, options))) {
            MultiWorkerMirroredStrategy strategy = MultiWorkerMirroredStrategy.of(server).withPackBytes(packBytes);
            Sequential m = ReferenceModels.byName(model, 42);
            m.distribute(strategy);
            Tensor[] global = batch(n * batch);
            for (int i = 0; i < warmUp; i++) m.trainOnBatch(global);
            strategy.group().allReduce(List.of(Tensors.of(new float[1], 1)));   // all start timing together
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            for (int i = 0; i < steps; i++) m.trainOnBatch(global);
            double cpuMs = (cpuNanos() - cpu0) / 1e6 / steps;
            strategy.group().allReduce(List.of(Tensors.of(new float[1], 1)));   // ... and stop when the last is done
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] allReduce = n == 1 ? new double[] {0, 0} : allReduceTime(strategy.group());
            if (task == 0) {
                double tcp = n == 1 ? 0 : AllReduceBenchmark.tcpCopy(ALL_REDUCE_BYTES, 20);
                System.out.printf(Locale.ROOT, "%s %.3f %.3f %.3f %.3f %.4f %.4f%n", RESULT, (double) n * batch
                        * steps / seconds, 1e3 * seconds / steps, cpuMs, allReduce[0], allReduce[1], tcp);
            }
        }
    }

    /** CPU time of this process so far (all its threads: training, ring readers and writers, GC, JIT). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {ms per all-reduce of 4 MiB, bus GB/s}: the mean of 20 after 30 warm-up ones (the JIT compiles the ring). */
    private static double[] allReduceTime(CollectiveGroup group) {
        int elements = (int) (ALL_REDUCE_BYTES / 4);
        Tensor t = Tensors.of(new float[elements], elements);
        for (int i = 0; i < 30; i++) group.allReduce(List.of(t));
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) group.allReduce(List.of(t));
        double seconds = (System.nanoTime() - t0) / 1e9 / 20;
        int n = group.size();
        return new double[] {seconds * 1e3, ALL_REDUCE_BYTES * 2.0 * (n - 1) / n / seconds / 1e9};
    }

    /** A synthetic global batch: images [b, 28, 28, 1] in [0, 1) and labels 0..9, from a fixed seed. */
    private static Tensor[] batch(int b) {
        Random rnd = new Random(7);
        float[] x = new float[b * 28 * 28];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
        int[] y = new int[b];
        for (int i = 0; i < b; i++) y[i] = rnd.nextInt(10);
        return new Tensor[] {Tensors.of(x, b, 28, 28, 1), Tensors.of(y, b)};
    }
}
