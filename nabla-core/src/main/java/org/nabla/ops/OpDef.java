package org.nabla.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nabla.DType;

/**
 * An op declared once, as data: name, inputs, attributes with defaults, dtype/shape inference, and flags. Kernels
 * (per device and dtype) and gradients refer to it by name. Instances are immutable and registered in
 * {@link OpRegistry} when built.
 */
public final class OpDef {
    private final String name;
    private final List<String> inputNames;
    private final int minInputs;
    private final boolean variadic;
    private final List<AttrDef> attrs;
    private final ShapeFn shapeFn;
    private final int kernelDTypeInput;
    private final String kernelDTypeAttr;
    private final boolean differentiable;
    private final boolean stateful;
    private final List<String> variableAttrs;
    private final boolean readsInputsOnly;
    private final boolean internal;
    private final String summary;
    private final int id;
    private final Class<?> declaringClass;

    private OpDef(Builder b) {
        this.name = b.name;
        this.inputNames = List.copyOf(b.inputNames);
        this.variadic = b.variadic;
        this.minInputs = b.variadic ? b.minVariadic + b.inputNames.size() - 1 : b.inputNames.size();
        this.attrs = List.copyOf(b.attrs);
        this.shapeFn = Objects.requireNonNull(b.shapeFn, () -> "op " + b.name + " has no shape function");
        this.kernelDTypeAttr = b.kernelDTypeAttr;
        this.kernelDTypeInput = b.kernelDTypeAttr != null || b.kernelDTypeFromOutput ? -1 : b.kernelDTypeInput;
        this.differentiable = b.differentiable;
        this.stateful = b.stateful || !b.variableAttrs.isEmpty();
        this.variableAttrs = List.copyOf(b.variableAttrs);
        this.readsInputsOnly = b.readsInputsOnly;
        this.internal = b.internal;
        this.summary = b.summary;
        this.id = OpRegistry.nextId();
        this.declaringClass = b.declaringClass;
    }

    public static Builder builder(String name) { return new Builder(name); }

    public String name() { return name; }

    /** Input names; when {@link #isVariadic()} the last one stands for any number of tensors. */
    public List<String> inputNames() { return inputNames; }

    public boolean isVariadic() { return variadic; }

    public int minInputs() { return minInputs; }

    public List<AttrDef> attrs() { return attrs; }

    /** False for ops whose outputs carry no gradient (integer/boolean results, comparisons, random sources). */
    public boolean isDifferentiable() { return differentiable; }

    /** True for ops that must not be folded or deduplicated (random ops, reads of mutable state). */
    public boolean isStateful() { return stateful; }

    /**
     * The string attributes that name the variables a node of this op reads or writes (ReadVariable's "name", an
     * optimizer update's weight and slot names); empty for ops that touch no variable. Automatic control dependencies
     * order the ops of each named variable.
     */
    public List<String> variableAttrs() { return variableAttrs; }

    /**
     * Whether a kernel of this op may keep an input beyond its call: true for stateful ops (an assignment stores its
     * input), except those declared {@link Builder#readsInputsOnly} (an optimizer update reads its gradient only).
     * The executor never recycles the memory of an input that may be kept.
     */
    public boolean mayKeepInputs() { return stateful && !readsInputsOnly; }

    /**
     * True for ops that exist for gradients, the optimizer or the runtime (backward helpers, fused ops, transfers)
     * rather than for users: they have no method on {@code org.nabla.Ops} and are run with {@code Ops.run}.
     */
    public boolean isInternal() { return internal; }

    public String summary() { return summary; }

    /** Dense index for fast kernel lookup. */
    public int id() { return id; }

    /**
     * The class that built this op (its family: {@code MathOps} for Add), so a kernel family registered with
     * {@code KernelRegistry.registerOnFirstUse} is loaded only when one of its ops first runs.
     */
    public Class<?> declaringClass() { return declaringClass; }

    /** Runs dtype/shape inference after checking the number of inputs. */
    public TensorSpec[] infer(TensorSpec[] inputs, Attrs attrs) {
        checkArity(inputs.length);
        return shapeFn.infer(inputs, attrs);
    }

    public void checkArity(int n) {
        if (variadic ? n < minInputs : n != minInputs) {
            throw new OpException(name, "expected " + (variadic ? "at least " : "") + minInputs + " input"
                    + (minInputs == 1 ? "" : "s") + " " + inputNames + ", got " + n);
        }
    }

    /**
     * Returns {@code given} with declared defaults filled in, failing on unknown names, missing required attributes
     * and values of the wrong kind.
     */
    public Attrs resolveAttrs(Attrs given) {
        Attrs out = given;
        for (AttrDef def : attrs) {
            Object v = given.get(def.name());
            if (v == null) {
                if (def.defaultValue() == null) {
                    throw new OpException(name, "missing required attribute '" + def.name() + "' (" + def.type() + ")");
                }
                out = out.with(def.name(), def.defaultValue());
            } else if (!kindMatches(def.type(), v)) {
                throw new OpException(name, "attribute '" + def.name() + "' must be " + def.type() + ", got "
                        + v.getClass().getSimpleName() + " " + v);
            }
        }
        if (given.size() > attrs.size() || out.size() != attrs.size()) {
            for (String n : given.asMap().keySet()) {
                if (attrs.stream().noneMatch(d -> d.name().equals(n))) {
                    throw new OpException(name, "unknown attribute '" + n + "'; declared: "
                            + attrs.stream().map(AttrDef::name).toList());
                }
            }
        }
        return out;
    }

    private static boolean kindMatches(AttrType type, Object v) {
        return switch (type) {
            case INT -> v instanceof Integer || v instanceof Long;
            case LONG -> v instanceof Long || v instanceof Integer;
            case FLOAT -> v instanceof Double || v instanceof Integer || v instanceof Long;
            default -> type.javaType().isInstance(v);
        };
    }

    /** The dtype that selects the kernel: an input's dtype, or a DTYPE attribute for ops without inputs. */
    public DType kernelDType(TensorSpec[] inputs, Attrs attrs, TensorSpec[] outputs) {
        if (kernelDTypeAttr != null) return attrs.getDType(kernelDTypeAttr);
        if (kernelDTypeInput >= 0 && kernelDTypeInput < inputs.length) return inputs[kernelDTypeInput].dtype();
        return outputs.length > 0 ? outputs[0].dtype() : null;
    }

    @Override public String toString() { return name; }

    /** Builds an {@link OpDef}. */
    public static final class Builder {
        private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

        private final String name;
        private final List<String> inputNames = new ArrayList<>();
        private boolean variadic;
        private int minVariadic;
        private final List<AttrDef> attrs = new ArrayList<>();
        private ShapeFn shapeFn;
        private int kernelDTypeInput = 0;
        private String kernelDTypeAttr;
        private boolean kernelDTypeFromOutput;
        private boolean differentiable = true;
        private boolean stateful;
        private final List<String> variableAttrs = new ArrayList<>();
        private boolean readsInputsOnly;
        private boolean internal;
        private String summary = "";
        private Class<?> declaringClass;

        private Builder(String name) { this.name = Objects.requireNonNull(name); }

        public Builder inputs(String... names) {
            inputNames.addAll(List.of(names));
            return this;
        }

        /** A last input that takes {@code min} or more tensors (Concat's values, Stack's values...). */
        public Builder variadicInput(String name, int min) {
            inputNames.add(name);
            variadic = true;
            minVariadic = min;
            return this;
        }

        public Builder attr(String attrName, AttrType type, Object defaultValue) {
            attrs.add(new AttrDef(attrName, type, defaultValue));
            return this;
        }

        /** A required attribute (no default). */
        public Builder attr(String attrName, AttrType type) { return attr(attrName, type, null); }

        public Builder shape(ShapeFn fn) {
            this.shapeFn = fn;
            return this;
        }

        /** Selects the kernel by the dtype of input {@code index} (default 0). */
        public Builder kernelDTypeFromInput(int index) {
            this.kernelDTypeInput = index;
            return this;
        }

        /**
         * Selects the kernel by a DTYPE attribute (ops with no inputs, such as RandomUniform); null selects it by the
         * dtype of the first output.
         */
        public Builder kernelDTypeFromAttr(String attrName) {
            this.kernelDTypeAttr = attrName;
            this.kernelDTypeFromOutput = attrName == null;
            return this;
        }

        public Builder notDifferentiable() {
            this.differentiable = false;
            return this;
        }

        public Builder stateful() {
            this.stateful = true;
            return this;
        }

        /** The op reads or writes the variables named by these string attributes (it is stateful). */
        public Builder variables(String... attrNames) {
            variableAttrs.addAll(List.of(attrNames));
            return this;
        }

        /** The (stateful) op's kernels only read their inputs: they never store one (see {@link #mayKeepInputs}). */
        public Builder readsInputsOnly() {
            readsInputsOnly = true;
            return this;
        }

        /** Marks a helper op that users do not call (see {@link OpDef#isInternal()}). */
        public Builder internal() {
            this.internal = true;
            return this;
        }

        public Builder summary(String text) {
            this.summary = text;
            return this;
        }

        /** Builds the op and registers it by name. */
        public OpDef build() {
            declaringClass = CALLER.getCallerClass();
            OpDef op = new OpDef(this);
            OpRegistry.register(op);
            return op;
        }
    }
}
