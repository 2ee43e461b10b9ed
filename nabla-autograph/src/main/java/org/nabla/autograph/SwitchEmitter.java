package org.nabla.autograph;

import static java.lang.constant.ConstantDescs.CD_int;

import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Converts a {@code switch} on {@code tensor.intValue()} into one runtime Case call over outlined arms. */
final class SwitchEmitter extends ConstructEmitter {
    SwitchEmitter(Converter cv) { super(cv); }

    /**
     * A switch on {@code tensor.intValue()} (statement or expression): a Case node whose branches are the arms, each
     * running from its label to the end of the switch (Java's fall-through), the default arm last (Case runs the last
     * branch for an index out of range). The end is where the arms' breaks jump (javac's gotos before the last arm),
     * or the end of the block when no arm breaks.
     */
    int emitSwitch(Emission em, int site, int swIdx) {
        Region r = em.r;
        shapes.checkNoCatchAround(site);
        int line = body.lineAt(site);
        Label dflt;
        List<SwitchCase> cases;
        switch (body.elements.get(swIdx)) {
            case TableSwitchInstruction t -> { dflt = t.defaultTarget(); cases = t.cases(); }
            case LookupSwitchInstruction l -> { dflt = l.defaultTarget(); cases = l.cases(); }
            default -> throw new IllegalStateException("not a switch");
        }
        int defaultKey = body.keyOf(dflt);
        java.util.TreeSet<Integer> armKeys = new java.util.TreeSet<>();
        armKeys.add(defaultKey);
        for (SwitchCase sc : cases) armKeys.add(body.keyOf(sc.target()));
        if (armKeys.first() <= body.key(swIdx) || armKeys.last() > body.key(r.to())) throw shapes.jumpOut(line, swIdx);
        int lastArm = shapes.firstWithKey(armKeys.last(), swIdx);
        // A goto to the last label itself is a break when there is no default arm (the default target is the end),
        // or the end of an if/else falling into a last default arm that every arm reaches: the end either way.
        int endKey = Integer.MAX_VALUE;
        boolean toLastLabel = false;
        for (int i = swIdx + 1; i < lastArm; i++) {
            if (body.elements.get(i) instanceof BranchInstruction g && (g.opcode() == Opcode.GOTO
                    || g.opcode() == Opcode.GOTO_W)) {
                int k = body.keyOf(g.target());
                if (k > armKeys.last() && k <= body.key(r.to()) && !r.exitByKey().containsKey(k)) {
                    endKey = Math.min(endKey, k);
                } else if (k > body.key(r.to()) && r.joinKeys().contains(k)) {
                    endKey = Math.min(endKey, body.key(r.to()));   // a break javac chained to the block's join
                }
                toLastLabel |= k == armKeys.last();
            }
        }
        if (endKey == Integer.MAX_VALUE && toLastLabel) endKey = armKeys.last();
        int join = endKey == Integer.MAX_VALUE || endKey == body.key(r.to()) ? r.to()
                : shapes.firstWithKey(endKey, swIdx);
        int joinDepth = body.stackDepthAt(body.key(join));
        int armDepth = body.stackDepthAt(armKeys.first());
        boolean yields = joinDepth > 0 && joinDepth == armDepth + 1
                && TENSOR.descriptorString().equals(body.stackTopAt(body.key(join)));
        if (!yields && (joinDepth > 0 || armDepth > 0)) {
            throw new ConversionException(body.sourceFile, line, "a switch expression on a tensor converts when its "
                    + "value is a Tensor; this one's is not: write a switch statement that assigns a local");
        }
        Set<Integer> joinKeys = new HashSet<>();
        joinKeys.add(body.key(join));
        if (join == r.to()) joinKeys.addAll(r.joinKeys());
        List<Construct.Local> entry = CodeShapes.locals(body.inScope(site));
        Set<Integer> assigned = shapes.assignedSlots(swIdx + 1, join);
        List<Construct.Local> outputs = new ArrayList<>();
        for (Construct.Local v : CodeShapes.union(entry, CodeShapes.locals(body.inScope(join < body.elements.size()
                ? join : site)))) {
            if (assigned.contains(v.slot())) outputs.add(v);
        }
        List<Integer> arms = new ArrayList<>(armKeys);
        Set<Integer> exits = new LinkedHashSet<>();
        for (int k : arms) {
            int from = shapes.firstWithKey(k, swIdx);
            if (from >= join) exits.add(Exits.FALL);
            else exits.addAll(shapes.exitsOf(from, join, joinKeys, r.exitByKey(), r.topLevel(), line));
        }
        if (exits.contains(Exits.RETURN) && exits.size() > 1 && !r.inLoop()) {
            throw new ConversionException(body.sourceFile, line, "a switch on a tensor whose arms return on some "
                    + "paths only cannot be converted: return from every arm, or assign a local and return it after "
                    + "the switch");
        }
        boolean guarded = !exits.equals(Set.of(Exits.FALL)) && join != r.to();
        if (guarded && ((exits.contains(Exits.RETURN) && !r.inLoop()) || r.topLevel()
                || cv.entersBetween(r.from(), site, join, r.to()))) {
            throw new ConversionException(body.sourceFile, line, "break, continue or return of a loop inside a "
                    + "switch on a tensor followed by more statements cannot be converted here: move those "
                    + "statements into the arms");
        }
        String base = cls.newName("switch_" + body.methodName);
        Construct c = new Construct(Construct.Kind.CASE, body.sourceFile, line, false, outputs, exits,
                shapes.sideEffect(swIdx + 1, join), null, null, Exits.FALL);
        c.yieldsValue = yields;
        List<String> names = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++) {
            int from = shapes.firstWithKey(arms.get(a), swIdx);
            if (from >= join) {
                names.add(null);
                continue;
            }
            names.add(base + "$" + a);
            cv.outline(base + "$" + a, new Region(from, join, joinKeys, new HashMap<>(r.exitByKey()), outputs,
                    shapes.prologue(from, entry), false, yields, r.allowReturn(), line, r.inLoop()));
        }
        names.add(names.get(arms.indexOf(defaultKey)));    // the default arm, last
        List<int[]> valueToArm = new ArrayList<>();
        for (SwitchCase sc : cases) {
            int k = body.keyOf(sc.target());
            if (k != defaultKey) valueToArm.add(new int[] {sc.caseValue(), arms.indexOf(k)});
        }
        c.cases(valueToArm, names);
        cls.constructs.add(c);
        cv.newFrame(em.cb, entry);
        em.cb.ldc(c.id).invokestatic(RUNTIME, "switchCase", MethodTypeDesc.of(OBJECTS, TENSOR, OBJECTS, CD_int));
        return cv.afterBranches(em, outputs, exits, guarded, join, line, yields);
    }
}
