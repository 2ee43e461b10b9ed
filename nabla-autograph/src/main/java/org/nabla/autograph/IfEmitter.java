package org.nabla.autograph;

import static java.lang.constant.ConstantDescs.CD_int;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts an {@code if} on a tensor condition (with its {@code &&}/{@code ||} partners and {@code c ? a : b}) into
 * a runtime call whose branches are outlined regions; what follows it is Converter's.
 */
final class IfEmitter extends ConstructEmitter {
    IfEmitter(Converter cv) { super(cv); }

    /**
     * A tensor condition and the ones joined to it by {@code &&} or {@code ||} (javac's branch chains: the left
     * operand's jump goes where the right one's goes, or just past it), then the if they decide. Each pair becomes
     * one bool tensor, "the right operand's jump is taken", computed lazily (AutoGraph's {@code and}/{@code or}: a
     * Cond on the left operand whose one branch evaluates the right one), so the right operand runs only when Java
     * would run it.
     */
    int emitShortCircuits(Emission em, int site, int br, BranchInstruction b) {
        BranchInstruction jump = b;
        int[] next;
        while ((next = shapes.shortCircuitPartner(br, jump.target(), em.r.to(), em.r.valueRegion())) != null) {
            int rightSite = next[0], rightBr = next[1];
            BranchInstruction right = (BranchInstruction) body.elements.get(rightBr);
            int line = body.lineAt(rightSite);
            List<Construct.Local> entry = CodeShapes.locals(body.inScope(site));
            String name = cls.newName("and_or_" + body.methodName);
            Construct c = new Construct(Construct.Kind.SHORT_CIRCUIT, body.sourceFile, line, false, List.of(),
                    Set.of(Exits.FALL), shapes.sideEffect(br + 1, rightSite), name, null, Exits.FALL);
            c.leftJumpsWhen = jump.opcode() == Opcode.IFNE;
            c.rightJumpsWhen = right.opcode() == Opcode.IFNE;
            c.sameTarget = body.keyOf(jump.target()) == body.keyOf(right.target());
            cls.constructs.add(c);
            cv.outline(name, new Region(br + 1, rightSite, Set.of(body.key(rightSite)), Map.of(), List.of(),
                    shapes.prologue(br + 1, entry), false, true, false, line, false));
            CodeBuilder cb = em.cb;
            cv.newFrame(cb, entry);
            c.endsValue = rightSite == em.r.to();
            cb.ldc(c.id).invokestatic(RUNTIME, "shortCircuit", MethodTypeDesc.of(TENSOR, TENSOR, OBJECTS, CD_int));
            if (c.endsValue) return rightSite;     // a loop's condition: the value for the loop's own jump
            site = rightSite;                      // the combined condition on the stack, as if the right operand's
            br = rightBr;                          // booleanValue(); ifne TARGET
            jump = BranchInstruction.of(Opcode.IFNE, right.target());
        }
        return emitIf(em, site, br, jump);
    }

    // ------------------------------------------------------------------ if / else

    int emitIf(Emission em, int site, int br, BranchInstruction b) {
        Region r = em.r;
        shapes.checkNoCatchAround(site);
        int line = body.lineAt(site);
        int targetKey = body.keyOf(b.target());
        int aFrom = br + 1, aTo, bFrom, bTo, join;
        int jumpExit = -1;                         // the exit code when the jump itself leaves the region
        boolean restIsElse = jumpExitFromRegion(r, targetKey, site);
        if (targetKey <= body.key(site) || targetKey > body.key(r.to()) || r.exitByKey().containsKey(targetKey)) {
            Integer code = r.joinKeys().contains(targetKey) ? Integer.valueOf(Exits.FALL) : r.exitByKey().get(targetKey);
            if (code == null) {
                throw new ConversionException(body.sourceFile, line, targetKey <= body.key(site)
                        ? "a do-while loop (or a backward jump) on a tensor condition cannot be converted: write it "
                        + "as a while loop"
                        : "this tensor condition jumps out of its block (conditions joined by || are not "
                        + "supported: combine them with Ops.logicalOr and call booleanValue() once)");
            }
            jumpExit = code;                       // javac jumped straight to the loop's start or exit
            aTo = r.to();
            bFrom = bTo = r.to();
            join = r.to();
        } else {
            if (!r.topLevel() && targetKey == body.key(r.to()) && !r.joinKeys().contains(targetKey)) {
                throw shapes.jumpOut(line, site);         // into the else of an enclosing if: a && b ... else
            }
            int targetIdx = shapes.firstWithKey(targetKey, r.from());
            aTo = targetIdx;
            bFrom = bTo = targetIdx;
            int last = body.lastInstructionBefore(targetIdx);
            CodeElement lastEl = last > br ? body.elements.get(last) : null;
            int gotoKey = lastEl instanceof BranchInstruction g && (g.opcode() == Opcode.GOTO
                    || g.opcode() == Opcode.GOTO_W) ? body.keyOf(g.target()) : -1;
            // a goto back into the then-block is a Java loop's back edge, not a way out of it
            boolean lastIsGoto = gotoKey >= 0 && (gotoKey < body.key(aFrom) || gotoKey > body.key(targetIdx));
            if (lastIsGoto && gotoKey > body.key(targetIdx) && gotoKey <= body.key(r.to())
                    && !r.exitByKey().containsKey(gotoKey)) {
                bTo = gotoKey == body.key(r.to()) ? r.to() : shapes.firstWithKey(gotoKey, targetIdx);
                join = bTo;
            } else if (lastIsGoto && r.joinKeys().contains(gotoKey)) {
                bTo = r.to();
                join = r.to();
            } else if (lastIsGoto || lastEl instanceof ReturnInstruction || lastEl instanceof ThrowInstruction) {
                bTo = r.to();                      // the then-block always leaves: the rest of the block is the else
                join = r.to();
                restIsElse = true;
            } else {
                join = targetIdx;                  // if without else
            }
        }
        if (r.valueRegion() && restIsElse) {
            throw new ConversionException(body.sourceFile, line, "a break or continue on a tensor condition whose "
                    + "else part runs into the condition of a do-while loop (or a loop condition) cannot be "
                    + "converted: use a while loop, or keep the condition in a local Tensor");
        }
        Set<Integer> aJoin;
        int joinDepth = body.stackDepthAt(body.key(join));
        boolean ternary = joinDepth > 0 && bFrom < bTo && joinDepth == body.stackDepthAt(body.key(bFrom)) + 1
                && TENSOR.descriptorString().equals(body.stackTopAt(body.key(join)));
        if (!ternary && (joinDepth > 0 || (bFrom < bTo && body.stackDepthAt(body.key(bFrom)) > 0))) {
            throw new ConversionException(body.sourceFile, line, "a conditional expression (c ? a : b) on a tensor "
                    + "condition converts when its value is a Tensor; this one's is not: write an if/else that "
                    + "assigns a local, or use Ops.cond or Ops.where");
        }
        Set<Integer> joinKeys = new HashSet<>();
        joinKeys.add(body.key(join));
        if (join == r.to()) joinKeys.addAll(r.joinKeys());
        aJoin = joinKeys;

        List<Construct.Local> entry = CodeShapes.locals(body.inScope(site));
        Set<Integer> assigned = shapes.assignedSlots(aFrom, join);
        List<Construct.Local> outputs = new ArrayList<>();
        for (Construct.Local v : CodeShapes.union(entry, CodeShapes.locals(body.inScope(join < body.elements.size() ? join : site)))) {
            if (assigned.contains(v.slot())) outputs.add(v);
        }
        Set<Integer> exits = new LinkedHashSet<>(shapes.exitsOf(aFrom, aTo, aJoin, r.exitByKey(), r.topLevel(), line));
        if (bFrom < bTo) exits.addAll(shapes.exitsOf(bFrom, bTo, aJoin, r.exitByKey(), r.topLevel(), line));
        else exits.add(jumpExit >= 0 ? jumpExit : Exits.FALL);
        if (exits.contains(Exits.RETURN) && exits.size() > 1 && !r.inLoop()) {
            int at = aFrom;
            while (at < body.elements.size() && !(body.elements.get(at) instanceof ReturnInstruction)) at++;
            throw new ConversionException(body.sourceFile, line, "a tensor condition whose branches return on one "
                    + "path only (the return at line " + body.lineAt(at) + ") cannot be converted: return from both "
                    + "branches, or assign a local and return it after the if");
        }
        boolean guarded = !exits.equals(Set.of(Exits.FALL)) && join != r.to();
        if (guarded && ((exits.contains(Exits.RETURN) && !r.inLoop()) || r.topLevel()
                || cv.entersBetween(r.from(), site, join, r.to()))) {
            throw new ConversionException(body.sourceFile, line, "break, continue or return inside a tensor "
                    + "condition followed by more statements in the same block cannot be converted here: move those "
                    + "statements into an else block");
        }
        boolean negate = b.opcode() == Opcode.IFNE;
        String base = cls.newName("if_" + body.methodName);
        String aName = base + "$a", bName = bFrom < bTo ? base + "$b" : null;
        Construct c = new Construct(Construct.Kind.IF, body.sourceFile, line, false, outputs, exits,
                shapes.sideEffect(aFrom, join), negate ? bName : aName, negate ? aName : bName,
                jumpExit >= 0 ? jumpExit : Exits.FALL);
        c.yieldsValue = ternary;
        cls.constructs.add(c);
        Map<Integer, Integer> childExits = new HashMap<>(r.exitByKey());
        boolean allowReturn = r.allowReturn();
        cv.outline(aName, new Region(aFrom, aTo, aJoin, childExits, outputs,
                shapes.prologue(aFrom, entry), false, ternary, allowReturn, line, r.inLoop()));
        if (bName != null) {
            cv.outline(bName, new Region(bFrom, bTo, aJoin, childExits, outputs,
                    shapes.prologue(bFrom, entry), false, ternary, allowReturn, line, r.inLoop()));
        }
        CodeBuilder cb = em.cb;
        cv.newFrame(cb, entry);
        cb.ldc(c.id).invokestatic(RUNTIME, "ifElse", MethodTypeDesc.of(OBJECTS, TENSOR, OBJECTS, CD_int));
        return cv.afterBranches(em, outputs, exits, guarded, join, line, ternary);
    }

    /** Whether an if's jump leaves its region (straight to a loop's start or exit): its then-block is the rest. */
    boolean jumpExitFromRegion(Region r, int targetKey, int site) {
        return targetKey <= body.key(site) || targetKey > body.key(r.to()) || r.exitByKey().containsKey(targetKey);
    }
}
