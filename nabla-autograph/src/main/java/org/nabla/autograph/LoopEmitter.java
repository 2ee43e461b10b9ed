package org.nabla.autograph;

import static java.lang.constant.ConstantDescs.CD_int;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.constant.MethodTypeDesc;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Converts while/for and do-while loops on tensor conditions into runtime loop calls over outlined regions. */
final class LoopEmitter extends ConstructEmitter {
    LoopEmitter(Converter cv) { super(cv); }

    int emitLoop(Emission em, int start, int[] loop) {
        int site = loop[0], br = loop[1], exit = loop[2];
        int line = body.lineAt(site);
        shapes.checkNoCatchAround(site);
        if (!shapes.assignedSlots(start, site).isEmpty()) {
            throw new ConversionException(body.sourceFile, line, "the condition of a loop on a tensor condition "
                    + "assigns a local variable; assign it in the loop body");
        }
        List<Construct.Local> entry = CodeShapes.locals(body.inScope(start));
        Set<Integer> assigned = shapes.assignedSlots(start, exit);
        List<Construct.Local> carried = entry.stream().filter(v -> assigned.contains(v.slot())).toList();
        Set<Integer> bodyJoin = Set.of();
        Map<Integer, Integer> bodyExits = Map.of(body.key(exit), Exits.BREAK, body.key(start), Exits.CONTINUE);
        Region bodyRegion = new Region(br + 1, exit, bodyJoin, bodyExits, carried, shapes.prologue(br + 1, entry), false,
                false, true, line, true);
        Set<Integer> exits = shapes.exitsOf(br + 1, exit, bodyJoin, bodyExits, false, line);
        boolean negate = ((BranchInstruction) body.elements.get(br)).opcode() == Opcode.IFNE;
        String base = cls.newName("loop_" + body.methodName);
        Construct c = new Construct(Construct.Kind.WHILE, body.sourceFile, line, negate, carried, exits,
                shapes.sideEffect(start, exit), base + "$cond", base + "$body", Exits.FALL);
        cls.constructs.add(c);
        cv.outline(base + "$cond", new Region(start, site, Set.of(body.key(site)), Map.of(), List.of(),
                shapes.prologue(start, entry), false, true, false, line, false));
        cv.outline(base + "$body", bodyRegion);
        CodeBuilder cb = em.cb;
        cv.newFrame(cb, entry);
        cb.ldc(c.id).invokestatic(RUNTIME, "whileLoop", MethodTypeDesc.of(OBJECTS, OBJECTS, CD_int));
        cb.astore(cv.resultSlot);
        cv.unpack(cb, carried);
        if (exits.contains(Exits.RETURN)) {       // the rest of the block runs when the loop did not return
            if (exit >= em.r.to() && !em.r.topLevel()) {     // nothing after it here: the block is left as the loop was
                cb.aload(cv.resultSlot).iconst_0().aaload().astore(cv.exitSlot);
                cb.aload(cv.resultSlot).iconst_1().aaload().astore(cv.retSlot);
                cb.goto_(em.exitEpilogue);
                return exit;
            }
            cv.emitGuard(em, exit, line, Set.of(Exits.RETURN));
            return em.r.to();
        }
        return exit;
    }

    /**
     * A do-while loop: its body and condition are one value region (the condition's tensor is the value), run
     * once per iteration; traced, a While whose extra loop var says whether to go on.
     */
    int emitDoLoop(Emission em, int start, int[] loop) {
        int site = loop[0], br = loop[1], exit = br + 1;
        int line = body.lineAt(site);
        shapes.checkNoCatchAround(site);
        List<Construct.Local> entry = CodeShapes.locals(body.inScope(start));
        Set<Integer> assigned = shapes.assignedSlots(start, exit);
        List<Construct.Local> carried = entry.stream().filter(v -> assigned.contains(v.slot())).toList();
        Map<Integer, Integer> bodyExits = Map.of(body.key(exit), Exits.BREAK);
        Set<Integer> exits = shapes.exitsOf(start, site, Set.of(body.key(site)), bodyExits, false, line);
        if (exits.contains(Exits.RETURN)) {
            int at = start;
            while (at < site && !(body.elements.get(at) instanceof ReturnInstruction)) at++;
            throw new ConversionException(body.sourceFile, body.lineAt(at), "return inside a do-while loop on a "
                    + "tensor condition cannot be converted: keep the result in a local Tensor and break");
        }
        boolean negate = ((BranchInstruction) body.elements.get(br)).opcode() == Opcode.IFEQ;
        String base = cls.newName("do_" + body.methodName);
        Construct c = new Construct(Construct.Kind.DO_WHILE, body.sourceFile, line, negate, carried, exits,
                shapes.sideEffect(start, exit), null, base + "$body", Exits.FALL);
        cls.constructs.add(c);
        cv.outline(base + "$body", new Region(start, site, Set.of(body.key(site)), bodyExits, carried,
                shapes.prologue(start, entry), false, true, false, line, false));
        CodeBuilder cb = em.cb;
        cv.newFrame(cb, entry);
        cb.ldc(c.id).invokestatic(RUNTIME, "doWhileLoop", MethodTypeDesc.of(OBJECTS, OBJECTS, CD_int));
        cb.astore(cv.resultSlot);
        cv.unpack(cb, carried);
        return exit;
    }
}
