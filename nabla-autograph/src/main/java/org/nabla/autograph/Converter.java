package org.nabla.autograph;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_int;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LocalVariable;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rewrites one method: its code is copied into a static method of a new class, and every {@code if} and loop whose
 * condition is {@code Tensor.booleanValue()} becomes a call into {@link AutoGraphRuntime}, its blocks outlined as
 * static methods that take and return the method's locals (an {@code Object[]} indexed by slot). The structure is
 * read from javac's patterns: {@code booleanValue; ifeq ELSE; THEN; goto END; ELSE: ...; END:} for if/else, and
 * {@code COND: ...; booleanValue; ifeq EXIT; BODY; goto COND; EXIT:} for while and for loops.
 */
final class Converter {
    static final ClassDesc OBJECTS = CD_Object.arrayType();
    static final MethodTypeDesc REGION_TYPE = MethodTypeDesc.of(OBJECTS, OBJECTS);
    private static final ClassDesc TENSOR = ClassDesc.of("org.nabla.Tensor");
    private static final ClassDesc RUNTIME = ClassDesc.of("org.nabla.autograph.AutoGraphRuntime");
    private static final ClassDesc INTEGER = ClassDesc.of("java.lang.Integer");
    private static final DirectMethodHandleDesc LINK_CALL = MethodHandleDesc.ofMethod(
            DirectMethodHandleDesc.Kind.STATIC, RUNTIME, "linkCall", MethodTypeDesc.of(
                    ClassDesc.of("java.lang.invoke.CallSite"), ClassDesc.of("java.lang.invoke.MethodHandles$Lookup"),
                    ClassDesc.of("java.lang.String"), ClassDesc.of("java.lang.invoke.MethodType"),
                    ClassDesc.of("java.lang.Class"), CD_int));

    /** A block to emit: elements [from, to), what its jumps out of it mean, and what it hands back. */
    private record Region(int from, int to, Set<Integer> joinKeys, Map<Integer, Integer> exitByKey,
                          List<Construct.Local> outputs, List<Construct.Local> prologue, boolean topLevel,
                          boolean valueRegion, boolean allowReturn, int line, boolean inLoop) {}

    private final ConvertedClass cls;
    private final MethodModel method;
    private final MethodBody body;
    private final CodeShapes shapes;
    private final ClassDesc hostDesc;
    private final int frameSlot;
    private final int resultSlot;
    private final int exitSlot;
    private final int retSlot;

    Converter(ConvertedClass cls, MethodModel method) {
        this.cls = cls;
        this.method = method;
        String source = cls.host.findAttribute(java.lang.classfile.Attributes.sourceFile())
                .map(a -> a.sourceFile().stringValue()).orElse(null);
        this.body = new MethodBody(method.code().orElseThrow(() -> new IllegalArgumentException(
                "AutoGraph: " + method.methodName().stringValue() + " has no code (abstract or native)")),
                source, method.methodName().stringValue());
        this.hostDesc = cls.hostDesc;
        this.shapes = new CodeShapes(body);
        frameSlot = body.maxLocals;
        resultSlot = frameSlot + 1;
        exitSlot = frameSlot + 2;
        retSlot = frameSlot + 3;
    }

    /** The source file the class file names (null when none). */
    String sourceFile() { return body.sourceFile; }

    /** The descriptor of the converted static method: the receiver first for an instance method. */
    MethodTypeDesc convertedType() { return ConvertedClass.convertedType(hostDesc, method); }

    /** Writes the converted method: its code with each tensor if/loop replaced by a runtime call. */
    void emitMethod(CodeBuilder cb) {
        emit(cb, new Region(0, body.elements.size(), Set.of(), Map.of(), List.of(), List.of(), true, false, true, -1, false));
    }


    private void outline(String name, Region region) {
        cls.add(name, REGION_TYPE, cb -> emit(cb, region));
    }

    // ------------------------------------------------------------------ emission of one region

    private final class Emission {
        final CodeBuilder cb;
        final Region r;
        final Map<Integer, Label> byKey = new HashMap<>();
        final Set<Integer> bound = new HashSet<>();
        final Map<Integer, Label> trampolines = new TreeMap<>();
        final Label fallEpilogue;
        final Label exitEpilogue;
        final Label end;

        Emission(CodeBuilder cb, Region r) {
            this.cb = cb;
            this.r = r;
            fallEpilogue = cb.newLabel();
            exitEpilogue = cb.newLabel();
            end = cb.newLabel();
        }

        Label internal(int key) { return byKey.computeIfAbsent(key, k -> cb.newLabel()); }

        /** Where a jump to {@code key} goes in the emitted code; {@code at} is the jump's element, for errors. */
        Label target(int key, int at) {
            if (r.topLevel()) return internal(key);
            if (body.key(r.from()) <= key && key < body.key(r.to())) return internal(key);
            Integer code = r.exitByKey().get(key);
            if (code == null && r.joinKeys().contains(key)) return fallEpilogue;
            if (code == null) {
                throw shapes.jumpOut(r.line(), at);
            }
            return trampolines.computeIfAbsent(code, c -> cb.newLabel());
        }
    }

    private void emit(CodeBuilder cb, Region r) {
        Emission em = new Emission(cb, r);
        if (!r.topLevel()) {
            cb.aload(0).astore(frameSlot);
            for (Construct.Local v : r.prologue()) {
                cb.aload(frameSlot).ldc(v.slot()).aaload();
                Boxing.unbox(cb, v.descriptor());
                cb.storeLocal(Boxing.kind(v.descriptor()), v.slot());
            }
        }
        Map<Integer, int[]> loops = shapes.findLoops(r.from(), r.to());
        Map<Integer, int[]> doLoops = shapes.findDoLoops(r.from(), r.to());
        int i = r.from();
        while (i < r.to()) {
            int[] loop = loops.get(i);
            if (loop != null) {
                bindLabelsAt(em, i);
                i = emitLoop(em, i, loop);
                continue;
            }
            int[] doLoop = doLoops.get(i);
            if (doLoop != null) {
                bindLabelsAt(em, i);
                i = emitDoLoop(em, i, doLoop);
                continue;
            }
            CodeElement e = body.elements.get(i);
            if (CodeShapes.isTensorSwitch(e)) {
                int sw = body.nextInstruction(i + 1);
                if (sw < body.elements.size() && (body.elements.get(sw) instanceof TableSwitchInstruction
                        || body.elements.get(sw) instanceof LookupSwitchInstruction)) {
                    i = emitSwitch(em, i, sw);
                    continue;
                }
            }
            if (CodeShapes.isTensorCondition(e)) {
                int br = body.nextInstruction(i + 1);
                if (br < body.elements.size() && body.elements.get(br) instanceof BranchInstruction b
                        && (b.opcode() == Opcode.IFEQ || b.opcode() == Opcode.IFNE)) {
                    i = emitShortCircuits(em, i, br, b);
                    continue;
                }
            }
            copy(em, i, e);
            i++;
        }
        cb.labelBinding(em.end);
        emitCatches(em);
        if (r.topLevel()) return;
        cb.labelBinding(em.fallEpilogue);
        if (r.valueRegion()) cb.astore(retSlot);
        newResult(cb, r.outputs(), () -> cb.iconst_0().invokestatic(INTEGER, "valueOf",
                MethodTypeDesc.of(INTEGER, CD_int)), r.valueRegion());
        cb.areturn();
        for (Map.Entry<Integer, Label> t : em.trampolines.entrySet()) {
            cb.labelBinding(t.getValue());
            cb.ldc(t.getKey()).invokestatic(INTEGER, "valueOf", MethodTypeDesc.of(INTEGER, CD_int)).astore(exitSlot);
            cb.aconst_null().astore(retSlot);
            cb.goto_(em.exitEpilogue);
        }
        cb.labelBinding(em.exitEpilogue);
        List<Construct.Local> known = r.outputs().stream().filter(o -> r.prologue().stream()
                .anyMatch(p -> p.slot() == o.slot() && p.descriptor().equals(o.descriptor()))).toList();
        newResult(cb, known, () -> cb.aload(exitSlot), true);
        cb.areturn();
    }

    /** Leaves a new result array on the stack: [exit, value, locals by slot...]. */
    private void newResult(CodeBuilder cb, List<Construct.Local> outputs, Runnable pushExit, boolean withValue) {
        cb.ldc(2 + body.maxLocals).anewarray(CD_Object);
        cb.dup().iconst_0();
        pushExit.run();
        cb.aastore();
        if (withValue) cb.dup().iconst_1().aload(retSlot).aastore();
        for (Construct.Local v : outputs) {
            cb.dup().ldc(2 + v.slot());
            cb.loadLocal(Boxing.kind(v.descriptor()), v.slot());
            Boxing.box(cb, v.descriptor());
            cb.aastore();
        }
    }

    private void bindLabelsAt(Emission em, int i) {
        int k = body.key(i);
        if (em.bound.add(k)) em.cb.labelBinding(em.internal(k));
    }

    private void copy(Emission em, int i, CodeElement e) {
        CodeBuilder cb = em.cb;
        Region r = em.r;
        switch (e) {
            case LabelTarget t -> bindLabelsAt(em, i);
            case LineNumber n -> cb.lineNumber(n.line());
            case LocalVariable v -> { }
            case ExceptionCatch c -> { }
            case BranchInstruction b -> cb.branch(b.opcode(), em.target(body.keyOf(b.target()), i));
            case LookupSwitchInstruction s -> cb.lookupswitch(em.target(body.keyOf(s.defaultTarget()), i),
                    s.cases().stream().map(c -> SwitchCase.of(c.caseValue(),
                            em.target(body.keyOf(c.target()), i))).toList());
            case TableSwitchInstruction s -> cb.tableswitch(s.lowValue(), s.highValue(),
                    em.target(body.keyOf(s.defaultTarget()), i),
                    s.cases().stream().map(c -> SwitchCase.of(c.caseValue(),
                            em.target(body.keyOf(c.target()), i))).toList());
            case ReturnInstruction ret when !r.topLevel() -> {
                if (!r.allowReturn()) {
                    throw new ConversionException(body.sourceFile, body.lineAt(i), "return inside a loop on a tensor "
                            + "condition cannot be converted: keep the result in a local Tensor and break");
                }
                if (ret.typeKind() == TypeKind.VOID) cb.aconst_null();
                else Boxing.box(cb, ret.typeKind().upperBound().descriptorString());
                cb.astore(retSlot);
                cb.iconst_3().invokestatic(INTEGER, "valueOf", MethodTypeDesc.of(INTEGER, CD_int)).astore(exitSlot);
                cb.goto_(em.exitEpilogue);
            }
            case InvokeInstruction inv when cls.convertibleCallee(inv).isPresent() -> {
                MethodModel callee = cls.convertibleCallee(inv).get();
                MethodTypeDesc type = callee.flags().has(AccessFlag.STATIC) ? inv.typeSymbol()
                        : inv.typeSymbol().insertParameterTypes(0, hostDesc);
                cb.invokestatic(cls.name, cls.convert(callee), type);
            }
            case InvokeDynamicInstruction indy when cls.convertedLambda(indy).isPresent() ->
                    cb.invokedynamic(cls.convertedLambda(indy).get());
            case InvokeInstruction inv when cls.callsConvertibleElsewhere(inv) -> {
                boolean isStatic = inv.opcode() == Opcode.INVOKESTATIC;
                MethodTypeDesc type = isStatic ? inv.typeSymbol()
                        : inv.typeSymbol().insertParameterTypes(0, inv.owner().asSymbol());
                cb.invokedynamic(DynamicCallSiteDesc.of(LINK_CALL, inv.name().stringValue(), type,
                        inv.owner().asSymbol(), isStatic ? 1 : 0));
            }
            case InvokeInstruction inv when inv.opcode() == Opcode.INVOKESPECIAL
                    && !inv.name().equalsString("<init>") -> {
                if (!inv.owner().asSymbol().equals(hostDesc)) {
                    throw new ConversionException(body.sourceFile, body.lineAt(i), "a super call ("
                            + inv.owner().asInternalName() + "." + inv.name() + ") cannot be converted");
                }
                cb.invoke(inv.isInterface() ? Opcode.INVOKEINTERFACE : Opcode.INVOKEVIRTUAL, inv.owner().asSymbol(),
                        inv.name().stringValue(), inv.typeSymbol(), inv.isInterface());
            }
            case Instruction ins -> cb.with(ins);
            default -> { }
        }
    }

    private void emitCatches(Emission em) {
        for (ExceptionCatch c : body.catches) {
            int s = body.keyOf(c.tryStart()), e = body.keyOf(c.tryEnd()), h = body.keyOf(c.handler());
            if (!em.bound.contains(s) || !em.bound.contains(h)) continue;
            Label endLabel = e == body.key(em.r.to()) ? em.end : em.bound.contains(e) ? em.internal(e) : null;
            if (endLabel == null) continue;
            em.cb.exceptionCatch(em.internal(s), endLabel, em.internal(h), c.catchType());
        }
    }

    // ------------------------------------------------------------------ && and || between tensor conditions

    /**
     * A tensor condition and the ones joined to it by {@code &&} or {@code ||} (javac's branch chains: the left
     * operand's jump goes where the right one's goes, or just past it), then the if they decide. Each pair becomes
     * one bool tensor, "the right operand's jump is taken", computed lazily (AutoGraph's {@code and}/{@code or}: a
     * Cond on the left operand whose one branch evaluates the right one), so the right operand runs only when Java
     * would run it.
     */
    private int emitShortCircuits(Emission em, int site, int br, BranchInstruction b) {
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
            outline(name, new Region(br + 1, rightSite, Set.of(body.key(rightSite)), Map.of(), List.of(),
                    shapes.prologue(br + 1, entry), false, true, false, line, false));
            CodeBuilder cb = em.cb;
            newFrame(cb, entry);
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

    private int emitIf(Emission em, int site, int br, BranchInstruction b) {
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
                || entersBetween(r.from(), site, join, r.to()))) {
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
        outline(aName, new Region(aFrom, aTo, aJoin, childExits, outputs,
                shapes.prologue(aFrom, entry), false, ternary, allowReturn, line, r.inLoop()));
        if (bName != null) {
            outline(bName, new Region(bFrom, bTo, aJoin, childExits, outputs,
                    shapes.prologue(bFrom, entry), false, ternary, allowReturn, line, r.inLoop()));
        }
        CodeBuilder cb = em.cb;
        newFrame(cb, entry);
        cb.ldc(c.id).invokestatic(RUNTIME, "ifElse", MethodTypeDesc.of(OBJECTS, TENSOR, OBJECTS, CD_int));
        return afterBranches(em, outputs, exits, guarded, join, line, ternary);
    }

    /** After the runtime call of an if or switch: its locals back, its value pushed, its exits taken. */
    private int afterBranches(Emission em, List<Construct.Local> outputs, Set<Integer> exits, boolean guarded,
                              int join, int line, boolean yieldsValue) {
        CodeBuilder cb = em.cb;
        Region r = em.r;
        cb.astore(resultSlot);
        unpack(cb, outputs);
        if (yieldsValue) cb.aload(resultSlot).iconst_1().aaload().checkcast(TENSOR);    // the expression's value
        if (guarded) {
            emitGuard(em, join, line, exits);
            return r.to();
        }
        if (!exits.equals(Set.of(Exits.FALL))) {
            if (r.topLevel()) {
                returnResultValue(cb);
            } else {
                cb.aload(resultSlot).iconst_0().aaload().astore(exitSlot);
                cb.aload(resultSlot).iconst_1().aaload().astore(retSlot);
                cb.goto_(em.exitEpilogue);
            }
        }
        return join;
    }

    /** Returns the value in the result (slot {@code resultSlot}) from the converted method. */
    private void returnResultValue(CodeBuilder cb) {
        cb.aload(resultSlot).iconst_1().aaload();
        TypeKind rk = method.methodTypeSymbol().returnType().descriptorString().equals("V") ? TypeKind.VOID
                : TypeKind.from(method.methodTypeSymbol().returnType());
        if (rk == TypeKind.VOID) {
            cb.pop().return_();
        } else {
            Boxing.unbox(cb, method.methodTypeSymbol().returnType().descriptorString());
            cb.return_(rk);
        }
    }

    // ------------------------------------------------------------------ switch

    /**
     * A switch on {@code tensor.intValue()} (statement or expression): a Case node whose branches are the arms, each
     * running from its label to the end of the switch (Java's fall-through), the default arm last (Case runs the last
     * branch for an index out of range). The end is where the arms' breaks jump (javac's gotos before the last arm),
     * or the end of the block when no arm breaks.
     */
    private int emitSwitch(Emission em, int site, int swIdx) {
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
                || entersBetween(r.from(), site, join, r.to()))) {
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
            outline(base + "$" + a, new Region(from, join, joinKeys, new HashMap<>(r.exitByKey()), outputs,
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
        newFrame(em.cb, entry);
        em.cb.ldc(c.id).invokestatic(RUNTIME, "switchCase", MethodTypeDesc.of(OBJECTS, TENSOR, OBJECTS, CD_int));
        return afterBranches(em, outputs, exits, guarded, join, line, yields);
    }

    /** Whether an if's jump leaves its region (straight to a loop's start or exit): its then-block is the rest. */
    private boolean jumpExitFromRegion(Region r, int targetKey, int site) {
        return targetKey <= body.key(site) || targetKey > body.key(r.to()) || r.exitByKey().containsKey(targetKey);
    }

    /**
     * The rest of the block after an if that may break or continue: AutoGraph's flag check, {@code if (exit ==
     * FALL) rest}, as one more converted construct (a Cond on the exit code when that is a tensor).
     */
    private void emitGuard(Emission em, int join, int line, Set<Integer> ifExits) {
        Region r = em.r;
        if (r.valueRegion()) {
            throw new ConversionException(body.sourceFile, line, "a break or continue on a tensor condition inside "
                    + "a do-while loop (or a loop condition) cannot be converted: use a while loop");
        }
        List<Construct.Local> atJoin = CodeShapes.locals(body.inScope(join));
        List<Construct.Local> outs = r.outputs().stream()
                .filter(o -> atJoin.stream().anyMatch(a -> a.slot() == o.slot())).toList();
        Set<Integer> restExits = shapes.exitsOf(join, r.to(), r.joinKeys(), r.exitByKey(), false, line);
        Set<Integer> exits = new LinkedHashSet<>(ifExits);
        exits.addAll(restExits);
        exits.add(Exits.FALL);
        if (exits.contains(Exits.RETURN) && !r.inLoop() && !restExits.equals(Set.of(Exits.RETURN))) {
            throw new ConversionException(body.sourceFile, line, ifExits.contains(Exits.RETURN)
                    ? "a return inside a loop on a tensor condition converts when the code after the loop returns "
                    + "on every path (or the loop is inside another loop on a tensor condition): return after it, "
                    + "or keep the result in a local Tensor and break"
                    : "a return after a break or continue that depends on a tensor condition cannot be converted: "
                    + "keep the result in a local Tensor and break");
        }
        String name = cls.newName("rest_" + body.methodName);
        Construct g = new Construct(Construct.Kind.IF, body.sourceFile, line, false, outs, exits,
                shapes.sideEffect(join, r.to()), name, null, Exits.FALL);
        cls.constructs.add(g);
        outline(name, new Region(join, r.to(), r.joinKeys(), r.exitByKey(), outs, shapes.prologue(join, atJoin),
                false, false, r.allowReturn(), line, r.inLoop()));
        CodeBuilder cb = em.cb;
        cb.aload(resultSlot).iconst_0().aaload();
        cb.aload(resultSlot).iconst_1().aaload();
        newFrame(cb, atJoin);
        cb.ldc(g.id).invokestatic(RUNTIME, "guard", MethodTypeDesc.of(OBJECTS, CD_Object, CD_Object, OBJECTS,
                CD_int));
        cb.astore(resultSlot);
        unpack(cb, outs);
        if (r.topLevel()) {
            returnResultValue(cb);
            return;
        }
        cb.aload(resultSlot).iconst_0().aaload().astore(exitSlot);
        cb.aload(resultSlot).iconst_1().aaload().astore(retSlot);
        cb.goto_(em.exitEpilogue);
    }

    /** Whether code in [from, site) jumps into [join, to): then the rest of the block is not only reached from the if. */
    private boolean entersBetween(int from, int site, int join, int to) {
        for (int i = from; i < site; i++) {
            if (body.elements.get(i) instanceof BranchInstruction b) {
                int k = body.keyOf(b.target());
                if (k >= body.key(join) && k < body.key(to)) return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ loops


    private int emitLoop(Emission em, int start, int[] loop) {
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
        outline(base + "$cond", new Region(start, site, Set.of(body.key(site)), Map.of(), List.of(),
                shapes.prologue(start, entry), false, true, false, line, false));
        outline(base + "$body", bodyRegion);
        CodeBuilder cb = em.cb;
        newFrame(cb, entry);
        cb.ldc(c.id).invokestatic(RUNTIME, "whileLoop", MethodTypeDesc.of(OBJECTS, OBJECTS, CD_int));
        cb.astore(resultSlot);
        unpack(cb, carried);
        if (exits.contains(Exits.RETURN)) {       // the rest of the block runs when the loop did not return
            if (exit >= em.r.to() && !em.r.topLevel()) {     // nothing after it here: the block is left as the loop was
                cb.aload(resultSlot).iconst_0().aaload().astore(exitSlot);
                cb.aload(resultSlot).iconst_1().aaload().astore(retSlot);
                cb.goto_(em.exitEpilogue);
                return exit;
            }
            emitGuard(em, exit, line, Set.of(Exits.RETURN));
            return em.r.to();
        }
        return exit;
    }

    /**
     * A do-while loop: its body and condition are one value region (the condition's tensor is the value), run
     * once per iteration; traced, a While whose extra loop var says whether to go on.
     */
    private int emitDoLoop(Emission em, int start, int[] loop) {
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
        outline(base + "$body", new Region(start, site, Set.of(body.key(site)), bodyExits, carried,
                shapes.prologue(start, entry), false, true, false, line, false));
        CodeBuilder cb = em.cb;
        newFrame(cb, entry);
        cb.ldc(c.id).invokestatic(RUNTIME, "doWhileLoop", MethodTypeDesc.of(OBJECTS, OBJECTS, CD_int));
        cb.astore(resultSlot);
        unpack(cb, carried);
        return exit;
    }

    // ------------------------------------------------------------------ frames and boxing

    private void newFrame(CodeBuilder cb, List<Construct.Local> vars) {
        cb.ldc(body.maxLocals).anewarray(CD_Object);
        for (Construct.Local v : vars) {
            cb.dup().ldc(v.slot());
            cb.loadLocal(Boxing.kind(v.descriptor()), v.slot());
            Boxing.box(cb, v.descriptor());
            cb.aastore();
        }
    }

    private void unpack(CodeBuilder cb, List<Construct.Local> outputs) {
        for (Construct.Local v : outputs) {
            cb.aload(resultSlot).ldc(2 + v.slot()).aaload();
            Boxing.unbox(cb, v.descriptor());
            cb.storeLocal(Boxing.kind(v.descriptor()), v.slot());
        }
    }

}
