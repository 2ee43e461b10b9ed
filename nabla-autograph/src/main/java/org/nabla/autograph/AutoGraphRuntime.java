package org.nabla.autograph;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.OpException;

/**
 * What converted bytecode calls in place of an {@code if} or loop on {@code Tensor.booleanValue()}; not for direct
 * use. A condition with a value (eager execution, or a constant while tracing) runs the Java control flow of the
 * original code; a symbolic one builds a Cond or While node whose branches and body are the outlined blocks, traced
 * as sub-graphs. Frames are the method's locals by slot; results are {@code [exit, returned value, locals...]}.
 */
public final class AutoGraphRuntime {
    private AutoGraphRuntime() {}

    /**
     * An {@code if} on {@code pred}: runs the block that the value selects, or traces both into one Cond node.
     *
     * @param pred the condition, a bool scalar
     * @param frame the locals in scope, by slot
     * @param id the converted construct
     * @return the exit, the returned value and the locals after the if
     */
    public static Object[] ifElse(Tensor pred, Object[] frame, int id) {
        Construct c = Construct.byId(id);
        if (!pred.isSymbolic()) return branch(c, pred.booleanValue() ? c.whenTrue : c.whenFalse, frame);
        if (c.sideEffect != null) {
            throw c.error("a branch of this tensor condition " + c.sideEffect + "; a traced branch runs its Java "
                    + "code once, while tracing, so side effects on Java objects cannot depend on a tensor");
        }
        return select(c, frame, Arrays.asList(c.whenTrue, c.whenFalse), List.of("true", "false"),
                branches -> Ops.cond(pred, branches.get(0), branches.get(1)));
    }

    /**
     * A switch on {@code selector.intValue()}: runs the arm its value selects (the default arm for any other), or
     * traces every arm into one Case node.
     *
     * @param selector the switch's value, an int scalar
     * @param frame the locals in scope, by slot
     * @param id the converted construct
     * @return the exit, the switch expression's value or the returned value, and the locals after the switch
     */
    public static Object[] switchCase(Tensor selector, Object[] frame, int id) {
        Construct c = Construct.byId(id);
        int last = c.branches.length - 1;
        if (!selector.isSymbolic()) {
            int v = selector.intValue();
            int arm = last;
            for (int i = 0; i < c.caseValues.length; i++) if (c.caseValues[i] == v) arm = c.caseArms[i];
            return branch(c, c.branches[arm], frame);
        }
        if (c.sideEffect != null) {
            throw c.error("an arm of this switch on a tensor " + c.sideEffect + "; a traced arm runs its Java code "
                    + "once, while tracing, so side effects on Java objects cannot depend on a tensor");
        }
        Tensor value = selector.dtype() == DType.INT32 ? selector : Ops.cast(selector, DType.INT32);
        Tensor index = Tensors.scalar(last);
        for (int i = 0; i < c.caseValues.length; i++) {
            index = Ops.where(Ops.equal(value, c.caseValues[i]), c.caseArms[i], index);
        }
        List<String> names = new ArrayList<>();
        for (int b = 0; b < last; b++) names.add("case arm " + b);
        names.add("default");
        Tensor branchIndex = index;
        return select(c, frame, Arrays.asList(c.branches), names, branches -> Ops.caseOf(branchIndex, branches));
    }

    /** Traces each region as a branch of the node {@code build} makes, and reads the locals back from its outputs. */
    private static Object[] select(Construct c, Object[] frame, List<MethodHandle> regions, List<String> names,
                                   Function<List<Supplier<Tensor[]>>, Tensor[]> build) {
        List<Construct.Local> tensors = c.outputs.stream().filter(Construct.Local::isTensor).toList();
        boolean dynamicExit = c.exits.size() > 1;
        boolean returns = c.exits.contains(Exits.RETURN) || c.yieldsValue;
        Object[][] results = new Object[regions.size()][];
        List<Supplier<Tensor[]>> branches = new ArrayList<>();
        for (int b = 0; b < regions.size(); b++) {
            int which = b;
            branches.add(() -> branchOutputs(c, which, regions.get(which), frame, tensors, dynamicExit, returns,
                    results, names.get(which)));
        }
        Tensor[] out;
        try {
            out = build.apply(branches);
        } catch (OpException e) {
            throw named(c, e, "as output ", tensors, "has a different dtype or rank after the "
                    + (regions.size() == 2 ? "two branches" : "arms"));
        }
        return combine(c, frame, tensors, results, out, dynamicExit, returns, names);
    }

    /**
     * {@code &&} or {@code ||} between tensor conditions: whether the right operand's jump is taken, evaluating the
     * right operand only when Java would (its value, or a Cond on the left operand when that is symbolic).
     *
     * @param left the left operand, a bool scalar
     * @param frame the locals in scope, by slot
     * @param id the converted construct (its {@code whenTrue} computes the right operand)
     * @return a bool scalar: true when the combined condition jumps where the right operand's jump goes (for a
     *     loop's condition: the value that jump tests)
     */
    public static Tensor shortCircuit(Tensor left, Object[] frame, int id) {
        Construct c = Construct.byId(id);
        Tensor jumps = jumps(c, left, frame);
        return !c.endsValue || c.rightJumpsWhen ? jumps : Ops.logicalNot(jumps);
    }

    private static Tensor jumps(Construct c, Tensor left, Object[] frame) {
        if (!left.isSymbolic()) {
            return left.booleanValue() == c.leftJumpsWhen ? Tensors.scalar(c.sameTarget) : rightJumps(c, frame);
        }
        if (c.sideEffect != null) {
            throw c.error("the right operand of && or || " + c.sideEffect + "; evaluated lazily under a tensor "
                    + "condition, its Java code would run once, while tracing");
        }
        Tensor leftJumps = c.leftJumpsWhen ? left : Ops.logicalNot(left);
        return Ops.cond(leftJumps, () -> new Tensor[] {Tensors.scalar(c.sameTarget)},
                () -> new Tensor[] {rightJumps(c, frame)})[0];
    }

    private static Tensor rightJumps(Construct c, Object[] frame) {
        if (!(run(c.whenTrue, frame.clone())[1] instanceof Tensor right)) {
            throw c.error("the right operand of && or || is not a Tensor condition");
        }
        return c.rightJumpsWhen ? right : Ops.logicalNot(right);
    }

    /** The locals, exit and returned value after a Cond or Case whose outputs are {@code out}. */
    private static Object[] combine(Construct c, Object[] frame, List<Construct.Local> tensors, Object[][] results,
                                    Tensor[] out, boolean dynamicExit, boolean returns, List<String> names) {
        Object[] result = resultFrom(frame);
        int k = 0;
        for (Construct.Local v : tensors) result[2 + v.slot()] = out[k++];
        for (Construct.Local v : c.outputs) {
            if (v.isTensor()) continue;
            Object a = results[0][2 + v.slot()];
            for (int j = 1; j < results.length; j++) {
                Object b = results[j][2 + v.slot()];
                if (!Objects.equals(a, b)) {
                    throw c.error("local '" + v.name() + "' (" + v.javaType() + ") is " + describe(a) + " after the "
                            + names.get(0) + " branch and " + describe(b) + " after the " + names.get(j) + " branch "
                            + "of a tensor condition; only Tensor locals can depend on a tensor condition");
                }
            }
            result[2 + v.slot()] = a;
        }
        result[0] = dynamicExit ? out[k++] : c.exits.iterator().next();
        if (returns) {
            boolean many = Arrays.stream(results).anyMatch(r -> r[1] instanceof Tensor[]);
            result[1] = many ? Arrays.copyOfRange(out, k, out.length) : out[k];
        }
        return result;
    }

    /**
     * The rest of a block after an if or loop that may have left it (break, continue, return): runs it when the if
     * fell through, else passes the exit and the returned value on; on a tensor exit, a Cond on {@code exit == FALL}.
     *
     * @param exit how the if or loop was left, an Integer or an int32 scalar tensor
     * @param value what it returned (null when it did not)
     * @param frame the locals in scope, by slot
     * @param id the converted construct (its {@code whenTrue} is the rest of the block)
     * @return the exit, the returned value and the locals after the block
     */
    public static Object[] guard(Object exit, Object value, Object[] frame, int id) {
        Construct c = Construct.byId(id);
        if (!(exit instanceof Tensor e)) {
            if (Objects.equals(exit, Exits.FALL)) return run(c.whenTrue, frame);
            Object[] passed = resultFrom(frame);
            passed[0] = exit;
            passed[1] = value;
            return passed;
        }
        if (c.sideEffect != null) {
            throw c.error("the statements after a break, continue or return on a tensor condition " + c.sideEffect
                    + "; traced, they run their Java code once, while tracing");
        }
        boolean returns = c.exits.contains(Exits.RETURN);
        List<Construct.Local> tensors = c.outputs.stream().filter(Construct.Local::isTensor).toList();
        Object[][] results = new Object[2][];
        Tensor[] out;
        try {
            out = Ops.cond(Ops.equal(e, Exits.FALL), () -> branchOutputs(c, 0, c.whenTrue, frame, tensors, true,
                    returns, results, "true"), () -> {
                        Object[] passed = resultFrom(frame);
                        passed[0] = e;
                        passed[1] = value;
                        results[1] = passed;
                        return collect(c, passed, tensors, "false", true, returns);
                    });
        } catch (OpException ex) {
            throw named(c, ex, "as output ", tensors, "has a different dtype or rank after the two branches");
        }
        return combine(c, frame, tensors, results, out, true, returns, List.of("true", "false"));
    }

    /**
     * A loop on a tensor condition: Java iterations while the condition has a value, else one While node whose
     * loop vars are the Tensor locals the loop changes (see {@link Loops#whileLoop}).
     *
     * @param frame the locals in scope, by slot
     * @param id the converted construct
     * @return the exit (a return inside the loop), the returned value and the locals after the loop
     */
    public static Object[] whileLoop(Object[] frame, int id) { return Loops.whileLoop(frame, id); }

    /**
     * A do-while loop on a tensor condition: Java iterations eagerly, one While node while a graph is being built
     * (see {@link Loops#doWhileLoop}).
     *
     * @param frame the locals in scope, by slot
     * @param id the converted construct (its {@code whenFalse} is the body with the condition)
     * @return the locals after the loop
     */
    public static Object[] doWhileLoop(Object[] frame, int id) { return Loops.doWhileLoop(frame, id); }

    /**
     * Links a call in converted code to a method of another class of the user's to that method's converted version
     * (an invokedynamic bootstrap; not for direct use). A virtual call runs the converted method when the receiver's
     * class is the one named at the call, and the method as written for a subclass (which may override it).
     *
     * @param caller the converted class
     * @param name the method's name
     * @param type the call's type, the receiver first for an instance method
     * @param owner the class named at the call
     * @param isStatic 1 for a static method, 0 for an instance method
     * @return the call site
     */
    public static CallSite linkCall(MethodHandles.Lookup caller, String name, MethodType type, Class<?> owner,
                                    int isStatic) {
        boolean st = isStatic == 1;
        String descriptor = (st ? type : type.dropParameterTypes(0, 1)).toMethodDescriptorString();
        MethodHandle converted = ConvertedMethods.converted(owner, name, descriptor, st).asType(type);
        if (st || Modifier.isFinal(owner.getModifiers())) return new ConstantCallSite(converted);
        MethodHandle original = ConvertedMethods.original(owner, name, descriptor, false).asType(type);
        MethodHandle exact = MethodHandles.insertArguments(SAME_CLASS, 1, owner)
                .asType(MethodType.methodType(boolean.class, type.parameterType(0)));
        exact = MethodHandles.dropArguments(exact, 1, type.dropParameterTypes(0, 1).parameterList());
        return new ConstantCallSite(MethodHandles.guardWithTest(exact, converted, original));
    }

    private static final MethodHandle SAME_CLASS;

    static {
        try {
            SAME_CLASS = MethodHandles.lookup().findStatic(AutoGraphRuntime.class, "sameClass",
                    MethodType.methodType(boolean.class, Object.class, Class.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static boolean sameClass(Object receiver, Class<?> owner) {
        return receiver != null && receiver.getClass() == owner;
    }

    /**
     * A Cond/While shape or dtype error from building the node, as a conversion error at the construct's line that
     * names the local behind the output or loop var the op's message numbers ({@code marker} N).
     */
    static RuntimeException named(Construct c, OpException e, String marker, List<Construct.Local> locals,
                                          String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(marker) + "(\\d+)")
                .matcher(String.valueOf(e.getMessage()));
        if (!m.find() || Integer.parseInt(m.group(1)) >= locals.size()) return e;
        Construct.Local v = locals.get(Integer.parseInt(m.group(1)));
        ConversionException ce = c.error("local '" + v.name() + "' " + what + " (" + e.getMessage() + ")");
        ce.initCause(e);
        return ce;
    }

    private static Tensor[] branchOutputs(Construct c, int which, MethodHandle region, Object[] frame,
                                          List<Construct.Local> tensors, boolean dynamicExit, boolean returns,
                                          Object[][] results, String name) {
        Object[] res = branch(c, region, frame.clone());
        results[which] = res;
        return collect(c, res, tensors, name, dynamicExit, returns);
    }

    /** A branch's Cond outputs: its Tensor locals, then its exit (when exits differ), then what it returned. */
    private static Tensor[] collect(Construct c, Object[] res, List<Construct.Local> tensors, String name,
                                    boolean dynamicExit, boolean returns) {
        List<Tensor> out = new ArrayList<>();
        for (Construct.Local v : tensors) {
            if (!(res[2 + v.slot()] instanceof Tensor t)) {
                throw c.error("local '" + v.name() + "' is " + describe(res[2 + v.slot()]) + " after the " + name
                        + " branch of a tensor condition; a Tensor local assigned under a tensor condition must "
                        + "hold a tensor after both branches");
            }
            out.add(t);
        }
        if (dynamicExit) out.add(res[0] instanceof Tensor t ? t : Tensors.scalar((Integer) res[0]));
        if (returns) {
            // a return itself (not a Cond output, which may hold the probe's stand-in for paths that do not return)
            if (!c.yieldsValue && Objects.equals(res[0], Exits.RETURN) && res[1] instanceof Tensor t) {
                LoopReturns.saw(t);
            }
            Object value = res[1] == null ? LoopReturns.passThrough() : res[1];
            switch (value) {
                case Tensor t -> out.add(t);
                case Tensor[] ts -> out.addAll(Arrays.asList(ts));
                case null, default -> throw c.error("the " + name + " branch of a tensor condition returns "
                        + describe(value) + "; a return under a tensor condition must return a Tensor or Tensor[]");
            }
        }
        return out.toArray(Tensor[]::new);
    }

    /** Runs one branch of an if; an empty one leaves the locals as they are, with the construct's exit. */
    private static Object[] branch(Construct c, MethodHandle region, Object[] frame) {
        if (region != null) return run(region, frame);
        Object[] result = resultFrom(frame);
        result[0] = c.emptyExit;
        return result;
    }

    static Object[] with(Object[] frame, List<Construct.Local> vars, Tensor[] values) {
        Object[] f = frame.clone();
        for (int i = 0; i < vars.size(); i++) f[vars.get(i).slot()] = values[i];
        return f;
    }

    /** A result that leaves every local as it was and falls through. */
    static Object[] resultFrom(Object[] frame) {
        Object[] result = new Object[2 + frame.length];
        result[0] = Exits.FALL;
        System.arraycopy(frame, 0, result, 2, frame.length);
        return result;
    }

    static Object[] run(MethodHandle region, Object[] frame) {
        if (region == null) return resultFrom(frame);
        try {
            return (Object[]) region.invokeExact(frame);
        } catch (Throwable t) {
            throw AutoGraphRuntime.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof Tensor t) return "a tensor " + t.spec();
        return "the " + v.getClass().getSimpleName() + " " + v;
    }
}
