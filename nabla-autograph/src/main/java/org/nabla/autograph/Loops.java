package org.nabla.autograph;

import static org.nabla.autograph.AutoGraphRuntime.describe;
import static org.nabla.autograph.AutoGraphRuntime.named;
import static org.nabla.autograph.AutoGraphRuntime.resultFrom;
import static org.nabla.autograph.AutoGraphRuntime.run;
import static org.nabla.autograph.AutoGraphRuntime.with;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The loops of {@link AutoGraphRuntime}: while and for loops, do-while loops, and returns inside them, run as Java
 * iterations when their condition has a value and traced into one While node when it is symbolic.
 */
final class Loops {
    private Loops() {}

    /**
     * A loop on a tensor condition: Java iterations while the condition has a value, else one While node whose
     * loop vars are the Tensor locals the loop changes.
     *
     * @param frame the locals in scope, by slot
     * @param id the converted construct
     * @return the locals after the loop
     */
    static Object[] whileLoop(Object[] frame, int id) {
        Construct c = Construct.byId(id);
        Object[] f = frame.clone();
        Tensor cond = condition(c, f);
        if (!cond.isSymbolic()) {
            while (cond.booleanValue() != c.negate) {
                Object[] res = run(c.whenFalse, f);
                for (Construct.Local v : c.outputs) f[v.slot()] = res[2 + v.slot()];
                if (Objects.equals(res[0], Exits.RETURN)) {
                    Object[] returned = resultFrom(f);
                    returned[0] = Exits.RETURN;
                    returned[1] = res[1];
                    return returned;
                }
                if (Objects.equals(res[0], Exits.BREAK)) break;
                cond = condition(c, f);
            }
            return resultFrom(f);
        }
        if (c.sideEffect != null) {
            throw c.error("the body of this loop on a tensor condition " + c.sideEffect + "; a traced body runs its "
                    + "Java code once, while tracing, so side effects on Java objects cannot be repeated per iteration");
        }
        List<Construct.Local> vars = c.outputs;
        checkLoopVars(c, f, vars);
        boolean returns = c.exits.contains(Exits.RETURN);
        boolean mayStop = returns || c.exits.contains(Exits.BREAK);
        int n = vars.size();
        Tensor[] init = new Tensor[n + (mayStop ? 1 : 0) + (returns ? 2 : 0)];
        for (int i = 0; i < n; i++) init[i] = (Tensor) f[vars.get(i).slot()];
        if (mayStop) init[n] = Tensors.scalar(false);
        if (returns) {
            init[n + 1] = Tensors.scalar(false);
            init[n + 2] = LoopReturns.zeros(returnedSpec(c, f, vars, Arrays.copyOf(init, n)));
        }
        Tensor[] out;
        try {
            out = whileNode(c, f, vars, mayStop, returns, n, init);
        } catch (OpException e) {
            throw named(c, e, "loop var ", vars, "changes its dtype or rank in the loop body");
        }
        Object[] result = resultFrom(f);
        for (int i = 0; i < n; i++) result[2 + vars.get(i).slot()] = out[i];
        if (returns) {
            result[0] = Ops.where(out[n + 1], Exits.RETURN, Exits.FALL);
            result[1] = out[n + 2];
        }
        return result;
    }

    /** The spec of what a return inside the loop returns, from tracing its body once (TensorFlow does the same). */
    private static TensorSpec returnedSpec(Construct c, Object[] f, List<Construct.Local> vars, Tensor[] loopVars) {
        RuntimeException[] failure = new RuntimeException[1];
        TensorSpec spec = LoopReturns.probe(loopVars, v -> run(c.whenFalse, with(f, vars, v)), failure);
        if (spec != null) return spec;
        ConversionException e = c.error("the return inside this loop on a tensor condition could not be traced to "
                + "learn what it returns" + (failure[0] == null ? "" : ": " + failure[0].getMessage()));
        if (failure[0] != null) e.initCause(failure[0]);
        throw e;
    }

    /**
     * A do-while loop on a tensor condition: its body and condition run as Java while the code runs eagerly; while
     * a graph is being built, one While node whose loop vars are the Tensor locals the loop changes and a bool
     * that says whether to go on (true at first, then the condition the body computed).
     *
     * @param frame the locals in scope, by slot
     * @param id the converted construct (its {@code whenFalse} is the body with the condition)
     * @return the locals after the loop
     */
    static Object[] doWhileLoop(Object[] frame, int id) {
        Construct c = Construct.byId(id);
        Object[] f = frame.clone();
        if (ExecutionContext.current().target() == EagerContext.INSTANCE) {
            while (true) {
                Object[] res = run(c.whenFalse, f);
                for (Construct.Local v : c.outputs) f[v.slot()] = res[2 + v.slot()];
                if (Objects.equals(res[0], Exits.BREAK) || ((Tensor) res[1]).booleanValue() == c.negate) break;
            }
            return resultFrom(f);
        }
        if (c.sideEffect != null) {
            throw c.error("the body of this do-while loop on a tensor condition " + c.sideEffect + "; a traced body "
                    + "runs its Java code once, while tracing, so side effects on Java objects cannot be repeated");
        }
        List<Construct.Local> vars = c.outputs;
        checkLoopVars(c, f, vars);
        int n = vars.size();
        Tensor[] init = new Tensor[n + 1];
        for (int i = 0; i < n; i++) init[i] = (Tensor) f[vars.get(i).slot()];
        init[n] = Tensors.scalar(true);
        Tensor[] out;
        try {
            out = Ops.whileLoop(v -> v[n], v -> {
                Object[] res = run(c.whenFalse, with(f, vars, v));
                Tensor[] next = nextLoopVars(c, res, vars, v.length);
                Tensor goOn = res[1] instanceof Tensor t ? (c.negate ? Ops.logicalNot(t) : t) : null;
                if (goOn == null && !Objects.equals(res[0], Exits.BREAK)) {
                    throw c.error("the do-while condition is " + describe(res[1]) + ", not a Tensor");
                }
                next[n] = goOn == null ? Tensors.scalar(false) : goOn;
                return next;
            }, init);
        } catch (OpException e) {
            throw named(c, e, "loop var ", vars, "changes its dtype or rank in the loop body");
        }
        Object[] result = resultFrom(f);
        for (int i = 0; i < n; i++) result[2 + vars.get(i).slot()] = out[i];
        return result;
    }

    private static void checkLoopVars(Construct c, Object[] f, List<Construct.Local> vars) {
        for (Construct.Local v : vars) {
            if (!(f[v.slot()] instanceof Tensor)) {
                throw c.error("loop variable '" + v.name() + "' (" + v.javaType() + ", " + describe(f[v.slot()])
                        + ") changes in a loop on a tensor condition but is not a Tensor; make it a Tensor (e.g. "
                        + "Tensors.scalar(0) and add(1)) or compute it outside the loop");
            }
        }
    }

    /** The Tensor locals a loop body leaves, in loop-var order, in an array of {@code length} (extra vars after). */
    private static Tensor[] nextLoopVars(Construct c, Object[] res, List<Construct.Local> vars, int length) {
        Tensor[] next = new Tensor[length];
        for (int i = 0; i < vars.size(); i++) {
            Object val = res[2 + vars.get(i).slot()];
            if (!(val instanceof Tensor t)) {
                throw c.error("loop variable '" + vars.get(i).name() + "' is " + describe(val) + " at the end of "
                        + "the loop body; it must stay a Tensor");
            }
            next[i] = t;
        }
        return next;
    }

    /** The While: loop vars are the Tensor locals, then a stop flag (break or return), returned, returned value. */
    private static Tensor[] whileNode(Construct c, Object[] f, List<Construct.Local> vars, boolean mayStop,
                                      boolean returns, int n, Tensor[] init) {
        return Ops.whileLoop(v -> {
            Tensor t = condition(c, with(f, vars, v));
            if (c.negate) t = Ops.logicalNot(t);
            return mayStop ? Ops.logicalAnd(Ops.logicalNot(v[n]), t) : t;
        }, v -> {
            Object[] res = returns ? LoopReturns.carrying(v[n + 2], () -> run(c.whenFalse, with(f, vars, v)))
                    : run(c.whenFalse, with(f, vars, v));
            Tensor[] next = nextLoopVars(c, res, vars, v.length);
            if (mayStop) {
                next[n] = res[0] instanceof Tensor e
                        ? Ops.logicalOr(Ops.equal(e, Exits.BREAK), Ops.equal(e, Exits.RETURN))
                        : Tensors.scalar(Objects.equals(res[0], Exits.BREAK) || Objects.equals(res[0], Exits.RETURN));
            }
            if (returns) {
                next[n + 1] = res[0] instanceof Tensor e ? Ops.equal(e, Exits.RETURN)
                        : Tensors.scalar(Objects.equals(res[0], Exits.RETURN));
                next[n + 2] = switch (res[1]) {
                    case null -> v[n + 2];
                    case Tensor t -> t;
                    default -> throw c.error("a return inside a loop on a tensor condition returns "
                            + describe(res[1]) + "; it must return one Tensor");
                };
            }
            return next;
        }, init);
    }

    private static Tensor condition(Construct c, Object[] frame) {
        Object value = run(c.whenTrue, frame)[1];
        if (value instanceof Tensor t) return t;
        throw c.error("the loop condition is " + describe(value) + ", not a Tensor");
    }

}
