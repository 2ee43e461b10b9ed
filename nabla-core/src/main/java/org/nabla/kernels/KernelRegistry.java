package org.nabla.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.OpRegistry;

/**
 * Kernels keyed by (op, device type, dtype). A kernel registered with a null dtype serves every dtype of that op
 * (data-movement kernels such as Reshape). Lookups are array indexed by op id and dtype ordinal, so eager dispatch
 * stays cheap. Registering a float32 kernel also serves float16 and bfloat16 through a {@link WidenedKernel} (compute
 * in float32, round the results once), unless the op has its own kernel for them.
 *
 * <p>A family of kernels may be registered on first use ({@link #registerOnFirstUse}): loading and linking every
 * kernel class of every family is most of a program's first-op time, and a first {@code add} needs one family. A
 * lookup that finds nothing runs every deferred registration before it answers, so no kernel is ever missed and the
 * "registered:" lists of errors are complete.
 */
public final class KernelRegistry {
    /** A registered kernel and whether it accepts strided views as inputs (otherwise inputs are made dense first). */
    public record Entry(Kernel kernel, boolean acceptsViews) {
        /** {@code inputs} as this kernel takes them: strided views made dense unless it accepts views. */
        public Tensor[] prepare(Tensor[] inputs) {
            if (acceptsViews) return inputs;
            Tensor[] args = inputs;
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].isDenseFromZero()) {
                    if (args == inputs) args = inputs.clone();
                    args[i] = inputs[i].dense();
                }
            }
            return args;
        }
    }

    private static final int ANY = DType.values().length;
    /** The 16-bit floats, which get a {@link WidenedKernel} from every float32 kernel without one of their own. */
    private static final List<DType> HALVES = List.of(DType.FLOAT16, DType.BFLOAT16);
    private static final List<DType> COMPLEX = List.of(DType.COMPLEX64, DType.COMPLEX128);
    static final KernelRegistry GLOBAL = new KernelRegistry();

    private final Map<String, Entry[][]> byDevice = new ConcurrentHashMap<>();
    private final Map<Class<?>, List<Consumer<KernelRegistry>>> deferred = new LinkedHashMap<>(); // guarded by this
    private volatile boolean anyDeferred;

    /**
     * The process-wide registry, with the kernels of every {@link OpLibrary} on the class path registered (deferred
     * families on their first lookup).
     */
    public static KernelRegistry global() {
        OpLibraries.loadKernels();
        return GLOBAL;
    }

    /**
     * Runs {@code registration} (which registers kernels here) when an op built by {@code opFamily} (see
     * {@link OpDef#declaringClass()}) is first looked up, or when any lookup finds nothing. Kernels it registers for
     * other families' ops are found too, through that second rule, only later.
     */
    public synchronized void registerOnFirstUse(Class<?> opFamily, Consumer<KernelRegistry> registration) {
        deferred.computeIfAbsent(opFamily, k -> new ArrayList<>()).add(registration);
        anyDeferred = true;
    }

    /** Registers a kernel that needs dense inputs; {@code dtype} null means any dtype. */
    public void register(OpDef op, String deviceType, DType dtype, Kernel kernel) {
        register(op, deviceType, dtype, kernel, false);
    }

    /**
     * Registers a kernel for any dtype whose results depend on the element values rather than their bits (sorting,
     * random numbers, filling with a value): float16 and bfloat16 get it through a {@link WidenedKernel}, so the
     * kernel only ever sees float32 in their place.
     */
    public synchronized void registerAnyWidened(OpDef op, String deviceType, Kernel kernel) {
        register(op, deviceType, null, kernel, false);
        for (DType half : HALVES) register(op, deviceType, half, new WidenedKernel(kernel, half), true);
        // the low-precision storage types would be read as raw bytes: refuse them with a message instead
        for (DType low : DType.values()) {
            if (!low.isLowPrecision()) continue;
            register(op, deviceType, low, ctx -> {
                throw new IllegalArgumentException(op.name() + " does not take " + low + " values (a storage type): "
                        + "cast to float32 first");
            }, false);
        }
    }

    /** Registers one kernel for several dtypes. */
    public void register(OpDef op, String deviceType, List<DType> dtypes, Kernel kernel) {
        for (DType d : dtypes) register(op, deviceType, d, kernel, false);
    }

    public synchronized void register(OpDef op, String deviceType, DType dtype, Kernel kernel, boolean acceptsViews) {
        Entry[][] table = byDevice.computeIfAbsent(deviceType, k -> new Entry[0][]);
        if (op.id() >= table.length) {
            table = Arrays.copyOf(table, Math.max(op.id() + 1, OpRegistry.idCount()));
        }
        Entry[] row = table[op.id()] == null ? new Entry[ANY + 1] : table[op.id()].clone();
        int slot = dtype == null ? ANY : dtype.ordinal();
        if (row[slot] != null && !(row[slot].kernel() instanceof WidenedKernel)
                && !(row[slot].kernel() instanceof ComplexSplitKernel)) {
            throw new IllegalStateException("kernel for " + op.name() + " on " + deviceType + " for "
                    + (dtype == null ? "any dtype" : dtype) + " is registered twice");
        }
        row[slot] = new Entry(kernel, acceptsViews);
        complexFromReal(op, dtype, kernel, acceptsViews, row);
        if (dtype == DType.FLOAT32 && op.variableAttrs().isEmpty()) {
            for (DType half : HALVES) {
                if (row[half.ordinal()] == null) row[half.ordinal()] = new Entry(new WidenedKernel(kernel, half), true);
            }
        }
        table[op.id()] = row;
        byDevice.put(deviceType, table);
    }

    /**
     * Complex dtypes get an any-dtype or real kernel only where {@link ComplexSplitKernel} names the op: run on each
     * part for data movement and sums, as is for kernels that never read elements. (A complex lookup never falls
     * back to an any-dtype kernel, so no kernel serves complex values without saying so.)
     */
    private static void complexFromReal(OpDef op, DType dtype, Kernel kernel, boolean acceptsViews, Entry[] row) {
        boolean split = ComplexSplitKernel.SPLIT_OPS.contains(op.name());
        if (dtype == null && ComplexSplitKernel.PASS_THROUGH_OPS.contains(op.name())) {
            for (DType c : COMPLEX) if (row[c.ordinal()] == null) row[c.ordinal()] = new Entry(kernel, acceptsViews);
            return;
        }
        if (!split) return;
        for (DType c : COMPLEX) {
            boolean fits = dtype == null || dtype == c.realPart();
            if (fits && (row[c.ordinal()] == null || row[c.ordinal()].kernel() instanceof ComplexSplitKernel)) {
                row[c.ordinal()] = new Entry(new ComplexSplitKernel(kernel, c), true);
            }
        }
    }

    /** The kernel for (op, device type, dtype), or an error listing what is registered for that op. */
    public Entry lookup(OpDef op, String deviceType, DType dtype) {
        Entry e = find(op, deviceType, dtype);
        if (e == null) {
            runDeferred(op.declaringClass()); // or waits while another thread registers that family
            e = find(op, deviceType, dtype);
        }
        if (e == null && runDeferred(null)) e = find(op, deviceType, dtype);
        if (e != null) return e;
        throw new OpException(op.name(), "no kernel for device type " + deviceType + " and dtype " + dtype
                + "; registered: " + describe(op) + (dtype != null && dtype.isComplex()
                ? " (an any-dtype kernel serves complex values only where it says so)" : ""));
    }

    public boolean has(OpDef op, String deviceType, DType dtype) {
        if (find(op, deviceType, dtype) != null) return true;
        runDeferred(op.declaringClass());
        if (find(op, deviceType, dtype) != null) return true;
        return runDeferred(null) && find(op, deviceType, dtype) != null;
    }

    private Entry find(OpDef op, String deviceType, DType dtype) {
        Entry[][] table = byDevice.get(deviceType);
        if (table == null || op.id() >= table.length) return null;
        Entry[] row = table[op.id()];
        if (row == null) return null;
        Entry e = dtype == null ? null : row[dtype.ordinal()];
        return e != null || (dtype != null && dtype.isComplex()) ? e : row[ANY];
    }

    /**
     * Runs the registrations deferred for {@code opFamily}, or all of them when it is null; false when there were
     * none. A registration is removed before it runs, so one that fails is not run twice (its error propagates).
     */
    private boolean runDeferred(Class<?> opFamily) {
        if (!anyDeferred) return false;
        synchronized (this) {
            List<Consumer<KernelRegistry>> due = new ArrayList<>();
            if (opFamily == null) {
                deferred.values().forEach(due::addAll);
                deferred.clear();
            } else {
                List<Consumer<KernelRegistry>> mine = deferred.remove(opFamily);
                if (mine != null) due.addAll(mine);
            }
            try {
                for (Consumer<KernelRegistry> registration : due) registration.accept(this);
            } finally {
                // Cleared only now: until these kernels are in, other threads must come here and wait for them.
                anyDeferred = !deferred.isEmpty();
            }
            return !due.isEmpty();
        }
    }

    /** "CPU: float32, float64" style listing of the kernels registered for an op. */
    public String describe(OpDef op) {
        runDeferred(null);
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Entry[][]> dev : new TreeMap<>(byDevice).entrySet()) {
            Entry[][] table = dev.getValue();
            if (op.id() >= table.length || table[op.id()] == null) continue;
            List<String> types = new ArrayList<>();
            Entry[] row = table[op.id()];
            for (int i = 0; i < ANY; i++) if (row[i] != null) types.add(DType.values()[i].toString());
            if (row[ANY] != null) types.add("any dtype");
            parts.add(dev.getKey() + ": " + String.join(", ", types));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }
}
