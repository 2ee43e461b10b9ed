package org.nabla.distributed.ps;

import org.nabla.distributed.DistributedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.optimizers.Optimizer;
import org.nabla.nn.optimizers.Optimizers;

/**
 * The variables of one group (one model's training run) that a ps task hosts, and how pushed gradients reach them.
 * Each variable has its own optimizer (its slots and step count live here) and its own lock.
 *
 * <p>ASYNC: a push is applied on arrival, variable by variable, each under its lock (pushes touching different
 * variables run in parallel; there is no lock over the whole push, as in TensorFlow's asynchronous training). SYNC:
 * pushes of step s are summed (weighted by each replica's examples, in float64) until every replica has pushed all
 * its messages for s; the thread of the last one applies the mean to every variable once (a variable without a
 * gradient still counts the step, as a single process's optimizer does) and advances the version to s + 1, which
 * releases the pulls waiting for it. The group's monitor guards the version and the SYNC sums.
 */
final class HostedGroup {
    /** One variable and its update state. */
    private static final class Hosted {
        final String key;
        final Variable variable;
        final ReentrantLock lock = new ReentrantLock();
        /** Made on the first push, from the config it carries. */
        Optimizer optimizer;

        Hosted(String key, Variable variable) {
            this.key = key;
            this.variable = variable;
        }
    }

    final String name;
    final boolean synchronous;
    final int replicas;
    private final Map<String, Hosted> variables = new LinkedHashMap<>();
    /** SYNC: steps applied; ASYNC: push messages applied. */
    private long version;
    private final long[] pushes;
    /** The optimizer of the first push, less its learning rate; every later push must name the same. */
    private String optimizerName;
    private Map<String, Double> optimizerConfig;
    // SYNC: the step being gathered (step == version)
    private final Map<String, double[]> sums = new HashMap<>();
    private final int[] received;
    private final int[] expected;
    private int complete;
    private long totalExamples;
    private double learningRate = Double.NaN;
    private volatile String closed;

    HostedGroup(String name, boolean synchronous, int replicas, Map<String, Tensor> initial) {
        if (replicas < 1) throw new IllegalArgumentException("group '" + name + "': replicas must be >= 1, got " + replicas);
        this.name = name;
        this.synchronous = synchronous;
        this.replicas = replicas;
        this.pushes = new long[replicas];
        this.received = new int[replicas];
        this.expected = new int[replicas];
        initial.forEach((key, value) -> {
            if (value.dtype() != DType.FLOAT32 && value.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("variable '" + key + "' is " + value.dtype() + "; a ps hosts "
                        + "float32 and float64 variables (the optimizers update those)");
            }
            variables.put(key, new Hosted(key, Variable.of("ps/" + name + "/" + key, value, true)));
        });
    }

    /** Checks that a CreateVariables of this group (or a batch of one) describes it: mode, replicas, each variable. */
    void checkSame(boolean sync, int reps, Map<String, Tensor> initial) {
        if (sync != synchronous || reps != replicas) {
            throw new IllegalArgumentException("group '" + name + "' exists as " + describe() + ", not "
                    + (sync ? "SYNC" : "ASYNC") + " with " + reps + " replicas");
        }
        initial.forEach((key, t) -> checkSpec(key, "initial value", t));
    }

    String describe() { return (synchronous ? "SYNC" : "ASYNC") + " with " + replicas + " replicas"; }

    List<String> keys() { return List.copyOf(variables.keySet()); }

    synchronized long version() { return version; }

    synchronized long[] pushes() { return pushes.clone(); }

    synchronized void close(String why) {
        closed = why;
        notifyAll();
    }

    private Hosted hosted(String key) {
        Hosted h = variables.get(key);
        if (h == null) {
            throw new IllegalArgumentException("group '" + name + "' has no variable '" + key + "' on this ps (it "
                    + "hosts " + String.join(", ", variables.keySet()) + ")");
        }
        return h;
    }

    private void checkSpec(String key, String what, Tensor t) {
        Variable v = hosted(key).variable;
        if (t.dtype() != v.dtype() || !t.shape().equals(v.shape())) {
            throw new IllegalArgumentException("the " + what + " of '" + key + "' is " + t.dtype() + " " + t.shape()
                    + ", the variable is " + v.dtype() + " " + v.shape());
        }
    }

    /** Waits until the version reaches {@code minVersion} (at most {@code waitMs}), then reads {@code keys}. */
    Map<String, Tensor> pull(List<String> keys, long minVersion, long waitMs) {
        for (String k : keys) hosted(k);
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        synchronized (this) {
            while (version < minVersion && closed == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new DistributedException("group '" + name + "': step " + (version + 1) + " is not applied "
                            + "after " + waitMs + " ms; waiting for " + missing() + " to push step " + version);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DistributedException("interrupted while waiting for step " + minVersion);
                }
            }
            if (closed != null) throw new IllegalStateException(closed);
            if (synchronous) return read(keys);   // under the monitor: never between two variables' updates
        }
        return read(keys);
    }

    private Map<String, Tensor> read(List<String> keys) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : keys) {
            Hosted h = hosted(k);
            h.lock.lock();
            try {
                out.put(k, h.variable.read());
            } finally {
                h.lock.unlock();
            }
        }
        return out;
    }

    /** The replicas that have not finished pushing the step being gathered (SYNC). */
    private String missing() {
        List<Integer> m = new ArrayList<>();
        for (int r = 0; r < replicas; r++) if (expected[r] == 0 || received[r] < expected[r]) m.add(r);
        return "replicas " + m;
    }

    /** Applies (ASYNC) or gathers (SYNC) one push message. */
    void push(int replica, long step, long examples, double lr, String optName, Map<String, Double> optConfig,
              Map<String, Tensor> grads, int batchCount) {
        if (replica < 0 || replica >= replicas) {
            throw new IllegalArgumentException("group '" + name + "' has replicas 0.." + (replicas - 1) + ", not "
                    + replica);
        }
        if (batchCount < 1) throw new IllegalArgumentException("batch_count must be >= 1, got " + batchCount);
        if (examples < 0) throw new IllegalArgumentException("examples must be >= 0, got " + examples);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("bad learning rate " + lr);
        grads.forEach((k, g) -> checkSpec(k, "gradient", g));
        checkOptimizer(optName, optConfig);
        if (synchronous) gather(replica, step, examples, lr, grads, batchCount);
        else apply(replica, lr, optName, optConfig, grads);
    }

    private synchronized void checkOptimizer(String optName, Map<String, Double> config) {
        Map<String, Double> c = new HashMap<>(config);
        c.remove("learning_rate");
        if (optimizerName == null) {
            Optimizers.fromConfig(optName, config);   // fails here, naming the problem, for a bad config
            optimizerName = optName;
            optimizerConfig = c;
        } else if (!optimizerName.equals(optName) || !optimizerConfig.equals(c)) {
            throw new IllegalArgumentException("group '" + name + "' is trained with " + optimizerName + " "
                    + optimizerConfig + ", but this push asks for " + optName + " " + c);
        }
    }

    private void apply(int replica, double lr, String optName, Map<String, Double> config, Map<String, Tensor> grads) {
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            Hosted h = hosted(e.getKey());
            h.lock.lock();
            try {
                update(h, e.getValue(), lr, optName, config);
            } finally {
                h.lock.unlock();
            }
        }
        synchronized (this) {
            version++;
            pushes[replica]++;
            notifyAll();
        }
    }

    /** One optimizer step of {@code h} (gradient null: the step is counted, nothing changes); h's lock is held. */
    private static void update(Hosted h, Tensor g, double lr, String optName, Map<String, Double> config) {
        if (h.optimizer == null) {
            h.optimizer = Optimizers.fromConfig(optName, config);
            h.optimizer.build(List.of(h.variable));
        }
        if (h.optimizer.learningRate() != (float) lr) h.optimizer.setLearningRate(lr);
        List<Tensor> gs = new ArrayList<>();
        gs.add(g);
        h.optimizer.applyGradients(gs, List.of(h.variable));
    }

    private synchronized void gather(int replica, long step, long examples, double lr, Map<String, Tensor> grads,
                                     int batchCount) {
        if (closed != null) throw new IllegalStateException(closed);
        if (step != version) {
            throw new IllegalArgumentException("group '" + name + "' (SYNC) is gathering step " + version
                    + ", but replica " + replica + " pushes step " + step + " (every replica must push every step once)");
        }
        if (expected[replica] != 0 && received[replica] >= expected[replica]) {
            throw new IllegalArgumentException("replica " + replica + " already pushed step " + step);
        }
        if (expected[replica] == 0) {
            expected[replica] = batchCount;
            totalExamples += examples;
        } else if (expected[replica] != batchCount) {
            throw new IllegalArgumentException("replica " + replica + " announced " + expected[replica]
                    + " messages for step " + step + ", then " + batchCount);
        }
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            double[] g = e.getValue().dtype() == DType.FLOAT64 ? e.getValue().toDoubleArray()
                    : toDoubles(e.getValue().toFloatArray());
            double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[g.length]);
            for (int i = 0; i < g.length; i++) sum[i] += g[i] * examples;
        }
        learningRate = lr;
        pushes[replica]++;
        if (++received[replica] == expected[replica] && ++complete == replicas) applyStep();
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** The mean of the gathered step applied to every variable; the monitor is held. */
    private void applyStep() {
        for (Hosted h : variables.values()) {
            double[] sum = sums.get(h.key);
            Tensor mean = null;
            if (sum != null && totalExamples > 0) mean = mean(sum, totalExamples, h.variable.dtype(), h.variable.shape());
            h.lock.lock();
            try {
                update(h, mean, learningRate, optimizerName, configWithRate());
            } finally {
                h.lock.unlock();
            }
        }
        sums.clear();
        java.util.Arrays.fill(received, 0);
        java.util.Arrays.fill(expected, 0);
        complete = 0;
        totalExamples = 0;
        version++;
        notifyAll();
    }

    private Map<String, Double> configWithRate() {
        Map<String, Double> c = new HashMap<>(optimizerConfig);
        c.put("learning_rate", learningRate);
        return c;
    }

    private static Tensor mean(double[] sum, long total, DType dtype, Shape shape) {
        if (dtype == DType.FLOAT64) {
            double[] m = new double[sum.length];
            for (int i = 0; i < m.length; i++) m[i] = sum[i] / total;
            return Tensor.wrap(DType.FLOAT64, shape, m);
        }
        float[] m = new float[sum.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) (sum[i] / total);
        return Tensor.wrap(DType.FLOAT32, shape, m);
    }
}
