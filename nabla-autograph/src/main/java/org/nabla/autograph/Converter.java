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
import java.lang.constant.ClassDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites one method: its code is copied into a static method of a new class, and every {@code if} and loop whose
 * condition is {@code Tensor.booleanValue()} becomes a call into {@link AutoGraphRuntime}, its blocks outlined as
 * static methods that take and return the method's locals (an {@code Object[]} indexed by slot). The structure is
 * read from javac's patterns: {@code booleanValue; ifeq ELSE; THEN; goto END; ELSE: ...; END:} for if/else, and
 * {@code COND: ...; booleanValue; ifeq EXIT; BODY; goto COND; EXIT:} for while and for loops. This class walks
 * a region and copies what is not converted; {@link IfEmitter}, {@link SwitchEmitter} and {@link LoopEmitter} turn
 * the constructs into runtime calls, using the frame, result and guard helpers here.
 */
final class Converter {
    static final ClassDesc OBJECTS = CD_Object.arrayType();
    static final MethodTypeDesc REGION_TYPE = MethodTypeDesc.of(OBJECTS, OBJECTS);
    static final ClassDesc TENSOR = ClassDesc.of("org.nabla.Tensor");
    static final ClassDesc RUNTIME = ClassDesc.of("org.nabla.autograph.AutoGraphRuntime");
    private static final ClassDesc INTEGER = ClassDesc.of("java.lang.Integer");
    private static final DirectMethodHandleDesc LINK_CALL = MethodHandleDesc.ofMethod(
            DirectMethodHandleDesc.Kind.STATIC, RUNTIME, "linkCall", MethodTypeDesc.of(
                    ClassDesc.of("java.lang.invoke.CallSite"), ClassDesc.of("java.lang.invoke.MethodHandles$Lookup"),
                    ClassDesc.of("java.lang.String"), ClassDesc.of("java.lang.invoke.MethodType"),
                    ClassDesc.of("java.lang.Class"), CD_int));

    final ConvertedClass cls;
    final MethodModel method;
    final MethodBody body;
    final CodeShapes shapes;
    final ClassDesc hostDesc;
    final int frameSlot;
    final int resultSlot;
    final int exitSlot;
    final int retSlot;
    private final IfEmitter ifs;
    private final SwitchEmitter switches;
    private final LoopEmitter loops;

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
        ifs = new IfEmitter(this);
        switches = new SwitchEmitter(this);
        loops = new LoopEmitter(this);
    }

    /** The source file the class file names (null when none). */
    String sourceFile() { return body.sourceFile; }

    /** The descriptor of the converted static method: the receiver first for an instance method. */
    MethodTypeDesc convertedType() { return ConvertedClass.convertedType(hostDesc, method); }

    /** Writes the converted method: its code with each tensor if/loop replaced by a runtime call. */
    void emitMethod(CodeBuilder cb) {
        emit(cb, new Region(0, body.elements.size(), Set.of(), Map.of(), List.of(), List.of(), true, false, true, -1, false));
    }

    /** Adds {@code region} to the new class as a static method {@code name} (Object[] locals in, result out). */
    void outline(String name, Region region) {
        cls.add(name, REGION_TYPE, cb -> emit(cb, region));
    }

    // ------------------------------------------------------------------ emission of one region

    private void emit(CodeBuilder cb, Region r) {
        Emission em = new Emission(cb, r, body, shapes);
        if (!r.topLevel()) {
            cb.aload(0).astore(frameSlot);
            for (Construct.Local v : r.prologue()) {
                cb.aload(frameSlot).ldc(v.slot()).aaload();
                Boxing.unbox(cb, v.descriptor());
                cb.storeLocal(Boxing.kind(v.descriptor()), v.slot());
            }
        }
        Map<Integer, int[]> whileLoops = shapes.findLoops(r.from(), r.to());
        Map<Integer, int[]> doLoops = shapes.findDoLoops(r.from(), r.to());
        int i = r.from();
        while (i < r.to()) {
            int[] loop = whileLoops.get(i);
            if (loop != null) {
                bindLabelsAt(em, i);
                i = loops.emitLoop(em, i, loop);
                continue;
            }
            int[] doLoop = doLoops.get(i);
            if (doLoop != null) {
                bindLabelsAt(em, i);
                i = loops.emitDoLoop(em, i, doLoop);
                continue;
            }
            CodeElement e = body.elements.get(i);
            if (CodeShapes.isTensorSwitch(e)) {
                int sw = body.nextInstruction(i + 1);
                if (sw < body.elements.size() && (body.elements.get(sw) instanceof TableSwitchInstruction
                        || body.elements.get(sw) instanceof LookupSwitchInstruction)) {
                    i = switches.emitSwitch(em, i, sw);
                    continue;
                }
            }
            if (CodeShapes.isTensorCondition(e)) {
                int br = body.nextInstruction(i + 1);
                if (br < body.elements.size() && body.elements.get(br) instanceof BranchInstruction b
                        && (b.opcode() == Opcode.IFEQ || b.opcode() == Opcode.IFNE)) {
                    i = ifs.emitShortCircuits(em, i, br, b);
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

    /** After the runtime call of an if or switch: its locals back, its value pushed, its exits taken. */
    int afterBranches(Emission em, List<Construct.Local> outputs, Set<Integer> exits, boolean guarded,
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
    void returnResultValue(CodeBuilder cb) {
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

    /**
     * The rest of the block after an if that may break or continue: AutoGraph's flag check, {@code if (exit ==
     * FALL) rest}, as one more converted construct (a Cond on the exit code when that is a tensor).
     */
    void emitGuard(Emission em, int join, int line, Set<Integer> ifExits) {
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
    boolean entersBetween(int from, int site, int join, int to) {
        for (int i = from; i < site; i++) {
            if (body.elements.get(i) instanceof BranchInstruction b) {
                int k = body.keyOf(b.target());
                if (k >= body.key(join) && k < body.key(to)) return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ frames and boxing

    void newFrame(CodeBuilder cb, List<Construct.Local> vars) {
        cb.ldc(body.maxLocals).anewarray(CD_Object);
        for (Construct.Local v : vars) {
            cb.dup().ldc(v.slot());
            cb.loadLocal(Boxing.kind(v.descriptor()), v.slot());
            Boxing.box(cb, v.descriptor());
            cb.aastore();
        }
    }

    void unpack(CodeBuilder cb, List<Construct.Local> outputs) {
        for (Construct.Local v : outputs) {
            cb.aload(resultSlot).ldc(2 + v.slot()).aaload();
            Boxing.unbox(cb, v.descriptor());
            cb.storeLocal(Boxing.kind(v.descriptor()), v.slot());
        }
    }

}