package org.nabla.distributed.strategy;

import org.nabla.distributed.ClusterSpec;
import org.nabla.distributed.Server;
import org.nabla.distributed.ps.ParameterServers;
import org.nabla.distributed.rpc.TensorWire;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.device.DeviceSpec;
import org.nabla.distributed.proto.CreateVariablesRequest;
import org.nabla.distributed.proto.CreateVariablesResponse;
import org.nabla.distributed.proto.NamedTensor;
import org.nabla.distributed.proto.OptimizerConfig;
import org.nabla.distributed.proto.PullVariablesRequest;
import org.nabla.distributed.proto.PullVariablesResponse;
import org.nabla.distributed.proto.PushGradientsRequest;
import org.nabla.distributed.proto.PushGradientsResponse;
import org.nabla.nn.ParameterStrategy;
import org.nabla.nn.optimizers.Optimizer;

/**
 * Parameter-server training (TensorFlow's {@code ParameterServerStrategy}, in its between-graph form: every replica
 * runs its own loop): the trainable variables live on the tasks of the cluster's {@code ps} job, each whole on one ps
 * task ({@link VariablePlacement}); the replicas (the {@code chief} task, then the {@code worker} tasks) {@link #pull}
 * their values before each step and {@link #push} their gradients, which the ps applies with the optimizer the push
 * names (the ps holds the optimizer's slots). Replica 0 (the chief) creates the variables from its initial values on
 * its first pull; the others' first pull waits for them.
 *
 * <p>{@link Mode#SYNCHRONOUS}: a ps applies one update per step, the mean of every replica's gradients weighted by its
 * examples, and a pull for the next step waits for it: with a mean loss and each replica on its {@link #shard} of the
 * global batch, training equals one process on the global batch (up to float rounding).
 * {@link Mode#ASYNCHRONOUS}: each push is applied as it arrives (each variable under its own lock), replicas never
 * wait for one another, and a pull sees whatever was applied so far.
 *
 * <p>For {@code Model.fit}: {@code model.distribute(strategy)} (nabla-nn's {@link ParameterStrategy}). One strategy
 * trains one list of variables (a group, named by {@link #withGroup}); not thread-safe.
 */
public final class ParameterServerStrategy implements ParameterStrategy {
    /** When pushed gradients are applied. */
    public enum Mode { SYNCHRONOUS, ASYNCHRONOUS }

    private final ParameterServers servers;
    private final Mode mode;
    private final VariablePlacement placement;
    private final String group;
    private final int replicas;
    private final int replicaId;
    // bound by the first pull or push
    private List<Variable> bound;
    private List<String> keys;
    private int[] where;
    /** Pushes made (SYNC: the step this replica is at). */
    private long step;
    /** SYNC: the step whose values the local copies hold (-1: none). */
    private long pulledStep = -1;

    private ParameterServerStrategy(ParameterServers servers, Mode mode, VariablePlacement placement, String group,
                                    int replicas, int replicaId) {
        this.servers = servers;
        this.mode = mode;
        this.placement = placement;
        this.group = group;
        this.replicas = replicas;
        this.replicaId = replicaId;
    }

    /**
     * The strategy for the replica {@code server} is (a task of the {@code chief} or {@code worker} job) over the ps
     * tasks of its cluster; variables placed round-robin, group "default".
     */
    public static ParameterServerStrategy of(Server server, Mode mode) {
        if (mode == null) throw new IllegalArgumentException("ParameterServerStrategy: mode is null");
        ParameterServers ps = server.parameterServers();
        if (ps.size() == 0) {
            throw new IllegalArgumentException("ParameterServerStrategy: the cluster has no ps job ("
                    + ps.cluster().describe() + ")");
        }
        List<DeviceSpec> reps = replicaTasks(ps.cluster());
        DeviceSpec self = server.task();
        int id = -1;
        for (int i = 0; i < reps.size(); i++) {
            if (reps.get(i).job().equals(self.job()) && reps.get(i).task() == self.task()) id = i;
        }
        if (id < 0) {
            throw new IllegalArgumentException("ParameterServerStrategy: task " + self + " is not a replica (replicas "
                    + "are the tasks of the chief and worker jobs)");
        }
        return new ParameterServerStrategy(ps, mode, VariablePlacement.ROUND_ROBIN, "default", reps.size(), id);
    }

    /** The replicas: the chief job's tasks, then the worker job's, each by index. */
    static List<DeviceSpec> replicaTasks(ClusterSpec cluster) {
        List<DeviceSpec> out = new ArrayList<>();
        for (String job : List.of("chief", "worker")) {
            List<Integer> indices = new ArrayList<>(cluster.tasks(job).keySet());
            indices.sort(null);
            for (int i : indices) out.add(new DeviceSpec(job, 0, i, null, -1));
        }
        return out;
    }

    /** The same strategy placing variables with {@code p} (before the first pull). */
    public ParameterServerStrategy withPlacement(VariablePlacement p) {
        if (p == null) throw new IllegalArgumentException("withPlacement: null");
        requireUnbound("withPlacement");
        return new ParameterServerStrategy(servers, mode, p, group, replicas, replicaId);
    }

    /** The same strategy for another group of variables (another model, or another run on the same ps tasks). */
    public ParameterServerStrategy withGroup(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("withGroup: empty name");
        requireUnbound("withGroup");
        return new ParameterServerStrategy(servers, mode, placement, name, replicas, replicaId);
    }

    private void requireUnbound(String what) {
        if (bound != null) throw new IllegalStateException(what + ": the strategy already trains its variables");
    }

    public Mode mode() { return mode; }

    public String group() { return group; }

    /** Number of replicas (chief and worker tasks). */
    public int replicas() { return replicas; }

    /** This replica's index: the chief 0, then the workers. */
    public int replicaId() { return replicaId; }

    /** Whether this is replica 0 (the one that creates the variables, logs and saves). */
    public boolean isChief() { return replicaId == 0; }

    /** Number of ps tasks. */
    public int psTasks() { return servers.size(); }

    /** Pushes made by this replica (its step). */
    public long step() { return step; }

    /** Where each variable lives, by key ("dense/kernel" -> "/job:ps/replica:0/task:1 (localhost:2224)"). */
    public Map<String, String> placement(List<Variable> vars) {
        bind(vars);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) out.put(keys.get(i), servers.describe(where[i]));
        return out;
    }

    /**
     * This replica's rows of a global batch: of B rows, replica r takes rows [r*B/n, (r+1)*B/n) of every tensor.
     */
    @Override
    public Tensor[] shard(Tensor... globalBatch) { return BatchShards.rows(replicaId, replicas, globalBatch); }

    /**
     * Copies the values of {@code vars} from the ps tasks into them. The first call binds the strategy to
     * {@code vars} and, on the chief, creates them on the ps tasks from their current values; in SYNC mode it waits
     * until the ps applied this replica's last pushed step.
     */
    @Override
    public void pull(List<Variable> vars) {
        bind(vars);
        if (mode == Mode.SYNCHRONOUS && pulledStep == step) return;   // the local copies hold this step's values
        long waitMs = servers.options().stepTimeout().toMillis();
        List<CompletableFuture<PullVariablesResponse>> calls = new ArrayList<>();
        List<List<Integer>> asked = new ArrayList<>();
        for (int ps = 0; ps < servers.size(); ps++) {
            for (List<Integer> batch : batches(ps, null)) {
                PullVariablesRequest.Builder r = PullVariablesRequest.newBuilder().setGroup(group)
                        .setMinVersion(mode == Mode.SYNCHRONOUS ? step : 0).setWaitMs(waitMs);
                for (int i : batch) r.addKeys(keys.get(i));
                calls.add(servers.pull(ps, r.build()));
                asked.add(batch);
            }
        }
        List<PullVariablesResponse> answers = ParameterServers.awaitAll(calls);
        long maxBytes = servers.options().maxTensorBytes();
        for (int c = 0; c < answers.size(); c++) {
            List<Integer> batch = asked.get(c);
            PullVariablesResponse a = answers.get(c);
            if (a.getValuesCount() != batch.size()) {
                throw new IllegalStateException("ps task " + servers.describe(where[batch.get(0)]) + " answered "
                        + a.getValuesCount() + " values for " + batch.size() + " keys");
            }
            for (int k = 0; k < batch.size(); k++) {
                int i = batch.get(k);
                Variable v = bound.get(i);
                Tensor value = TensorWire.decode(a.getValues(k).getTensor().asReadOnlyByteBuffer(), maxBytes);
                if (value.dtype() != v.dtype() || !value.shape().equals(v.shape())) {
                    throw new IllegalArgumentException("ps task " + servers.describe(where[i]) + " holds '"
                            + keys.get(i) + "' as " + value.dtype() + " " + value.shape() + ", but this replica's "
                            + "variable is " + v.dtype() + " " + v.shape() + " (do all replicas build the same model?)");
                }
                v.assign(value);
            }
        }
        pulledStep = step;
    }

    /**
     * Sends the gradients of {@code vars} (null: none) to the ps tasks, to be applied with {@code optimizer}'s
     * update there; {@code localExamples} weights them in the SYNC mean. The local variables do not change (the next
     * {@link #pull} brings the update); the local optimizer's step count advances by one (its learning-rate schedule
     * follows this replica's steps; the learning rate travels with the push).
     */
    @Override
    public void push(Optimizer optimizer, List<Tensor> grads, List<Variable> vars, long localExamples) {
        bind(vars);
        if (grads.size() != vars.size()) {
            throw new IllegalArgumentException("push: " + grads.size() + " gradients for " + vars.size() + " variables");
        }
        if (localExamples < 0) throw new IllegalArgumentException("push: localExamples < 0");
        Map<String, Double> config = optimizer.config();
        if (config.containsKey("global_clipnorm")) {
            throw new IllegalArgumentException("push: " + optimizer.name() + " clips by the global norm, which needs "
                    + "all gradients in one place; with variables on ps tasks use clipnorm (per gradient)");
        }
        for (int i = 0; i < grads.size(); i++) {
            Tensor g = grads.get(i);
            if (g != null && (g.dtype() != vars.get(i).dtype() || !g.shape().equals(vars.get(i).shape()))) {
                throw new IllegalArgumentException("push: the gradient of '" + keys.get(i) + "' is " + g.dtype() + " "
                        + g.shape() + ", the variable is " + vars.get(i).dtype() + " " + vars.get(i).shape());
            }
        }
        optimizer.refreshLearningRate();
        OptimizerConfig opt = OptimizerConfig.newBuilder().setName(optimizer.name()).putAllHyperparameters(config)
                .build();
        // a replica that saw no example contributes nothing (its mean loss, and so its gradients, are NaN)
        List<Tensor> gs = localExamples == 0 ? java.util.Collections.nCopies(grads.size(), null) : grads;
        List<CompletableFuture<PushGradientsResponse>> calls = new ArrayList<>();
        for (int ps = 0; ps < servers.size(); ps++) {
            List<List<Integer>> batches = batches(ps, gs);
            if (batches.isEmpty() && mode == Mode.ASYNCHRONOUS) continue;
            if (batches.isEmpty()) batches = List.of(List.of());   // SYNC: the ps counts this replica's (empty) push
            for (List<Integer> batch : batches) {
                PushGradientsRequest.Builder r = PushGradientsRequest.newBuilder().setGroup(group)
                        .setReplica(replicaId).setStep(step).setExamples(localExamples)
                        .setLearningRate(optimizer.learningRate()).setOptimizer(opt).setBatchCount(batches.size());
                for (int i : batch) {
                    r.addGradients(NamedTensor.newBuilder().setName(keys.get(i))
                            .setTensor(ByteString.copyFrom(TensorWire.encode(gs.get(i)))));
                }
                calls.add(servers.push(ps, r.build()));
            }
        }
        ParameterServers.awaitAll(calls);
        step++;
        optimizer.iterations().assignAdd(Tensors.scalar(1L));
    }

    /**
     * The variables of ps {@code ps} in messages of at most half the message limit each ({@code grads} non-null:
     * only those with a gradient), in order; no message when the ps hosts none.
     */
    private List<List<Integer>> batches(int ps, List<Tensor> grads) { return batches(ps, grads, bound, where); }

    private List<List<Integer>> batches(int ps, List<Tensor> grads, List<Variable> vars, int[] w) {
        long budget = servers.options().maxMessageBytes() / 2;
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < vars.size(); i++) {
            if (w[i] != ps || (grads != null && grads.get(i) == null)) continue;
            long b = bytesOf(vars.get(i));
            if (b > budget) {
                throw new IllegalArgumentException("variable '" + VariableKeys.of(vars).get(i) + "' is " + b + " bytes; a message "
                        + "carries at most half of DistributedOptions.maxMessageBytes (" + servers.options()
                        .maxMessageBytes() + ")");
            }
            if (!cur.isEmpty() && bytes + b > budget) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(i);
            bytes += b;
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    private static long bytesOf(Variable v) { return v.shape().size() * v.dtype().byteSize(); }

    /** Binds the strategy to {@code vars} on first use (and creates them on the ps tasks, on the chief). */
    private void bind(List<Variable> vars) {
        if (bound != null) {
            if (!bound.equals(vars)) {
                throw new IllegalArgumentException("this strategy trains " + keys + " (group '" + group + "'), not "
                        + VariableKeys.of(vars) + "; use another strategy (withGroup) for other variables");
            }
            return;
        }
        List<String> ks = VariableKeys.of(vars);
        long[] bytes = new long[vars.size()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = bytesOf(vars.get(i));
        int[] w = placement.place(bytes, servers.size());
        if (isChief()) create(vars, ks, w);
        bound = List.copyOf(vars);
        keys = ks;
        where = w;
    }

    private void create(List<Variable> vars, List<String> ks, int[] w) {
        List<CompletableFuture<CreateVariablesResponse>> calls = new ArrayList<>();
        for (int ps = 0; ps < servers.size(); ps++) {
            List<List<Integer>> batches = batches(ps, null, vars, w);
            for (List<Integer> batch : batches) {
                CreateVariablesRequest.Builder r = CreateVariablesRequest.newBuilder().setGroup(group)
                        .setSynchronous(mode == Mode.SYNCHRONOUS).setReplicas(replicas).setBatchCount(batches.size());
                for (int i : batch) {
                    r.addVariables(NamedTensor.newBuilder().setName(ks.get(i))
                            .setTensor(ByteString.copyFrom(TensorWire.encode(vars.get(i).read()))));
                }
                calls.add(servers.create(ps, r.build()));
            }
        }
        ParameterServers.awaitAll(calls);
    }
}
