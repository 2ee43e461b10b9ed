package org.nabla.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpCall;
import org.nabla.ops.OpDef;
import org.nabla.ops.StateOps;

/**
 * Eager reverse-mode differentiation (TensorFlow's {@code tf.GradientTape}). While open, the tape is the current
 * execution context: it hands every op call to the context below it (eager, a graph, or an outer tape) and records
 * the calls that read a watched tensor or a value derived from one (matched by identity). Variable reads
 * ({@code ReadVariable}) are recorded too, so every variable read inside the tape is watched (a read does not say
 * whether the variable is trainable, so non-trainable ones are watched as well; only the sources asked for get
 * gradients); with {@code watchAccessedVariables = false} only variables passed to {@link #watch(Variable)} are.
 * {@link #gradient} then walks the record backwards with the same gradient registry as graph mode.
 *
 * <p>Nested tapes give higher derivatives: an outer tape records the gradient ops an inner tape runs.
 * <pre>{@code
 * try (GradientTape outer = GradientTape.start()) {
 *     outer.watch(x);
 *     Tensor dy;
 *     try (GradientTape inner = GradientTape.start()) {
 *         inner.watch(x);
 *         Tensor y = x.mul(x).mul(x);
 *         dy = inner.gradient(y, x);      // 3x^2, recorded by the outer tape
 *     }
 *     Tensor d2y = outer.gradient(dy, x); // 6x
 * }
 * }</pre>
 * A tape is used by one thread; a non-persistent tape answers one {@code gradient} call and then releases its record.
 */
public final class GradientTape implements ExecutionContext, AutoCloseable {
    private final boolean persistent;
    private final boolean watchAccessedVariables;
    private final Set<String> watchedVariables = new java.util.HashSet<>();
    private final ExecutionContext parent;
    private final Set<Tensor> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, List<Tensor>> variableReads = new LinkedHashMap<>();
    private List<OpCall> calls = new ArrayList<>();
    private ExecutionContext.Scope scope;
    private boolean recording = true;
    private boolean used;

    /** A non-persistent tape, made the current context until {@link #close()}. */
    public GradientTape() { this(false); }

    /** A tape, made the current context until {@link #close()}; a persistent one allows several gradient calls. */
    public GradientTape(boolean persistent) { this(persistent, true); }

    /**
     * A tape, made the current context until {@link #close()}; with {@code watchAccessedVariables} false, variable
     * reads are recorded only for variables passed to {@link #watch(Variable)}.
     */
    public GradientTape(boolean persistent, boolean watchAccessedVariables) {
        this.persistent = persistent;
        this.watchAccessedVariables = watchAccessedVariables;
        this.parent = ExecutionContext.current();
        this.scope = ExecutionContext.enter(this);
    }

    /** A new non-persistent tape: {@code try (GradientTape tape = GradientTape.start()) {...}}. */
    public static GradientTape start() { return new GradientTape(false); }

    /** Whether {@code gradient} may be called more than once (a tape made with {@code new GradientTape(true)}). */
    public boolean isPersistent() { return persistent; }

    /** Records from now on the ops that use {@code t} (identity-based: watch the tensor object you then use). */
    public Tensor watch(Tensor t) {
        Objects.requireNonNull(t, "watch: tensor is null");
        if (!Backprop.carriesGradient(t)) {
            throw new IllegalArgumentException("watch: only floating-point tensors carry gradients, got " + t.spec());
        }
        tracked.add(t);
        return t;
    }

    /** Records the reads of {@code v} from now on (needed only when the tape does not watch accessed variables). */
    public void watch(Variable v) {
        Objects.requireNonNull(v, "watch: variable is null");
        watchedVariables.add(v.name());
    }

    /** The context below the tape that runs or builds the ops (the tape only watches them). */
    @Override
    public ExecutionContext target() { return parent.target(); }

    @Override
    public Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs) {
        Tensor[] outputs = parent.execute(op, attrs, inputs);
        boolean read = op == StateOps.READ_VARIABLE;
        for (int i = 0; i < outputs.length; i++) {
            // Identity matters here: an output that is an input object (StopGradient, CustomGradient, a no-op
            // reshape...) or a variable's stored value must become a distinct tensor, or uses would mix up.
            if (!outputs[i].isSymbolic() && (read || contains(inputs, outputs[i]))) outputs[i] = freshView(outputs[i]);
        }
        if (!recording || !op.isDifferentiable()) return outputs;
        boolean uses = read && (watchAccessedVariables || watchedVariables.contains(attrs.getString("name")));
        for (Tensor t : inputs) uses |= tracked.contains(t);
        if (!uses) return outputs;
        calls.add(new OpCall(op, op.resolveAttrs(attrs), inputs.clone(), outputs.clone()));
        for (Tensor t : outputs) if (Backprop.carriesGradient(t)) tracked.add(t);
        if (read) variableReads.computeIfAbsent(attrs.getString("name"), k -> new ArrayList<>()).add(outputs[0]);
        return outputs;
    }

    /** The gradient of {@code target} with respect to one source (a Tensor or a Variable); null if unconnected. */
    public Tensor gradient(Tensor target, Object source) { return gradient(target, new Object[] {source})[0]; }

    /**
     * The gradients of {@code target} (its elements summed) with respect to each source, a watched {@link Tensor}
     * (or one computed from watched ones) or a {@link Variable} read inside the tape; null for a source the target
     * does not depend on, as in TensorFlow.
     */
    public Tensor[] gradient(Tensor target, Object... sources) {
        return gradient(target, java.util.Arrays.asList(sources), null);
    }

    /** Gradients with respect to a list of variables (a model's trainable variables), in order. */
    public List<Tensor> gradient(Tensor target, List<Variable> variables) {
        return Arrays.asList(gradient(target, variables, null));
    }

    /**
     * {@link #gradient(Tensor, List)} that also hands each variable's gradient (null when the target does not depend
     * on it) to {@code ready}, with the variable's index, as soon as the reverse walk has finished it: the last
     * layers' first. Data-parallel training starts reducing them there, while the walk goes on.
     */
    public List<Tensor> gradientAsReady(Tensor target, List<Variable> variables, ObjIntConsumer<Tensor> ready) {
        Objects.requireNonNull(ready, "gradientAsReady: ready is null");
        return Arrays.asList(gradient(target, variables, null, ready));
    }

    /**
     * Like {@link #gradient(Tensor, Object...)} with the target's gradient seeded by {@code outputGradient} (ones of
     * the target's shape when null), TensorFlow's {@code output_gradients}.
     */
    public Tensor[] gradient(Tensor target, List<?> sourceList, Tensor outputGradient) {
        return gradient(target, sourceList, outputGradient, null);
    }

    private Tensor[] gradient(Tensor target, List<?> sourceList, Tensor outputGradient, ObjIntConsumer<Tensor> ready) {
        Objects.requireNonNull(target, "gradient: target is null");
        Object[] sources = sourceList.toArray();
        if (calls == null) {
            throw new IllegalStateException("this non-persistent GradientTape has already computed a gradient; use "
                    + "new GradientTape(true) to call gradient() more than once");
        }
        List<Tensor> flat = new ArrayList<>();
        int[] counts = new int[sources.length];
        for (int i = 0; i < sources.length; i++) {
            switch (sources[i]) {
                case Tensor t -> {
                    flat.add(t);
                    counts[i] = 1;
                }
                case Variable v -> {
                    List<Tensor> reads = variableReads.getOrDefault(v.name(), List.of());
                    flat.addAll(reads);
                    counts[i] = reads.size();
                }
                case null -> throw new IllegalArgumentException("gradient: source " + i + " is null");
                default -> throw new IllegalArgumentException("gradient: source " + i + " must be a Tensor or a "
                        + "Variable, got " + sources[i].getClass().getName() + (sources[i] instanceof List<?>
                        ? "; for a list of tensors call gradient(target, list, null)" : ""));
            }
        }
        List<OpCall> record = List.copyOf(calls);
        boolean wasRecording = recording;
        recording = false; // the gradient ops go to the parent context (an outer tape records them)
        Tensor[] grads;
        Tensor[] out = new Tensor[sources.length];
        try {
            Tensor seed = outputGradient != null ? outputGradient : Ops.onesLike(target);
            grads = Backprop.backward(record, List.of(target), List.of(seed), flat,
                    ready == null ? null : perSource(counts, out, ready));
        } finally {
            recording = wasRecording;
            if (!persistent) release();
        }
        if (ready != null) return out;   // filled source by source as they became final
        for (int i = 0; i < sources.length; i++) out[i] = sum(grads, start(counts, i), counts[i]);
        return out;
    }

    /** The sum of {@code grads[from, from + n)}'s non-null entries, in order; null when all are null. */
    private static Tensor sum(Tensor[] grads, int from, int n) {
        Tensor s = null;
        for (int j = from; j < from + n; j++) if (grads[j] != null) s = s == null ? grads[j] : Ops.add(s, grads[j]);
        return s;
    }

    private static int start(int[] counts, int i) {
        int k = 0;
        for (int j = 0; j < i; j++) k += counts[j];
        return k;
    }

    /**
     * Turns the walk's per-read readiness into per-source: a source (a variable read several times) is final once
     * all its reads are; then its gradient (their sum, as {@link #gradient} makes it) goes to {@code out} and
     * {@code ready}.
     */
    private static ObjIntConsumer<Tensor> perSource(int[] counts, Tensor[] out, ObjIntConsumer<Tensor> ready) {
        int total = 0;
        for (int c : counts) total += c;
        int[] owner = new int[total];
        int[] left = counts.clone();
        Tensor[] reads = new Tensor[total];
        for (int i = 0, k = 0; i < counts.length; k += counts[i], i++) Arrays.fill(owner, k, k + counts[i], i);
        for (int i = 0; i < counts.length; i++) {     // a variable the tape never saw read: final (null) at once
            if (counts[i] == 0) ready.accept(null, i);
        }
        return (g, j) -> {
            reads[j] = g;
            int i = owner[j];
            if (--left[i] == 0) {
                out[i] = sum(reads, start(counts, i), counts[i]);
                ready.accept(out[i], i);
            }
        };
    }

    /** Stops recording and makes the previous context current again; the record stays for gradient calls. */
    @Override
    public void close() {
        if (scope != null) {
            scope.close();
            scope = null;
        }
        recording = false;
    }

    private static boolean contains(Tensor[] ts, Tensor t) {
        for (Tensor x : ts) if (x == t) return true;
        return false;
    }

    private static Tensor freshView(Tensor t) { return Tensor.view(t, t.shape(), t.offset(), t.strides()); }

    private void release() {
        calls = null;
        tracked.clear();
        variableReads.clear();
        used = true;
    }

    /** True once a non-persistent tape has answered its gradient call. */
    public boolean isUsed() { return used; }
}
