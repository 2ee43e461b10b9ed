package org.nabla.autograph;

import java.lang.classfile.CodeElement;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LocalVariable;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the converter reads from one method's code, before rewriting it: where javac's loops on a tensor condition
 * start, which locals a block assigns, how a block can be left (its join, break, continue, return), and what in a
 * block tracing could not repeat (writes to Java objects), with the errors that name the line.
 */
final class CodeShapes {
    private final MethodBody body;

    CodeShapes(MethodBody body) { this.body = body; }

    /** Whether {@code m}'s code has an if or loop on {@code Tensor.booleanValue()}, or a switch on its intValue(). */
    static boolean hasTensorCondition(MethodModel m) {
        if (m.code().isEmpty()) return false;
        List<CodeElement> elements = m.code().get().elementList();
        for (int i = 0; i < elements.size(); i++) {
            if (isTensorCondition(elements.get(i))) return true;
            if (isTensorSwitch(elements.get(i))) {                // intValue() right before a switch instruction
                for (int j = i + 1; j < elements.size(); j++) {
                    CodeElement e = elements.get(j);
                    if (e instanceof TableSwitchInstruction || e instanceof LookupSwitchInstruction) return true;
                    if (e instanceof java.lang.classfile.Instruction) break;
                }
            }
        }
        return false;
    }

    /** Loops on a tensor condition that start in [from, to): the element index of their start -> {site, branch, exit, back goto}. */
    Map<Integer, int[]> findLoops(int from, int to) {
        Map<Integer, int[]> loops = new HashMap<>();
        for (int i = from; i < to; i++) {
            if (!isTensorCondition(body.elements.get(i))) continue;
            int br = body.nextInstruction(i + 1);
            if (!(body.elements.get(br) instanceof BranchInstruction b)
                    || (b.opcode() != Opcode.IFEQ && b.opcode() != Opcode.IFNE)) continue;
            int exit = body.indexOf(b.target());
            if (body.key(exit) <= body.key(i) || exit > to) continue;
            // the loop's start: the earliest place before the condition that the body jumps back to (javac's
            // back edge is a goto, or the body's last conditional jump when the body ends with an if)
            int startKey = Integer.MAX_VALUE;
            for (int j = br + 1; j < exit; j++) {
                if (body.elements.get(j) instanceof BranchInstruction g) {
                    int k = body.keyOf(g.target());
                    if (k <= body.key(i)) startKey = Math.min(startKey, k);
                }
            }
            if (startKey == Integer.MAX_VALUE || startKey < body.key(from)) continue;
            int last = body.lastInstructionBefore(exit);
            if (body.elements.get(last) instanceof BranchInstruction lb && lb.opcode() != Opcode.GOTO
                    && lb.opcode() != Opcode.GOTO_W && last > 0
                    && isTensorCondition(body.elements.get(body.lastInstructionBefore(last)))) {
                continue;                            // do { ... } while (a && b): b's jump back is the loop's
            }
            int start = firstWithKey(startKey, from);
            if (jumpsOutside(start, i, body.key(br + 1))) continue;    // a Java loop, or a continue
            loops.putIfAbsent(start, new int[] {i, br, exit});
        }
        return loops;
    }

    /**
     * do-while loops on a tensor condition that start in [from, to): the element index of their start -> {site,
     * branch}. javac writes {@code START: body; condition; booleanValue; ifne START}; the body's jumps stay inside
     * the loop or go to its exit (break), and nothing after the condition jumps back into it (which a Java while
     * loop ending in a tensor if does, through the if's then-block).
     */
    Map<Integer, int[]> findDoLoops(int from, int to) {
        Map<Integer, int[]> loops = new HashMap<>();
        for (int i = from; i < to; i++) {
            if (!isTensorCondition(body.elements.get(i))) continue;
            int br = body.nextInstruction(i + 1);
            if (br >= to || !(body.elements.get(br) instanceof BranchInstruction b)
                    || (b.opcode() != Opcode.IFEQ && b.opcode() != Opcode.IFNE)) continue;
            int startKey = body.keyOf(b.target());
            if (startKey > body.key(i) || startKey < body.key(from)) continue;
            int start = firstWithKey(startKey, from);
            if (!jumpsWithin(start, br, startKey, body.key(br + 1)) || jumpsInto(br + 1, to, startKey, body.key(br))
                    || jumpsInto(from, start, startKey + 1, body.key(br))) continue;
            loops.putIfAbsent(start, new int[] {i, br});
        }
        return loops;
    }

    /** Whether every jump in [from, to) lands in [lo, hi]. */
    private boolean jumpsWithin(int from, int to, int lo, int hi) {
        for (int i = from; i < to; i++) {
            for (Label l : targets(body.elements.get(i))) {
                int k = body.keyOf(l);
                if (k < lo || k > hi) return false;
            }
        }
        return true;
    }

    /** Whether a jump in [from, to) lands in [lo, hi]. */
    private boolean jumpsInto(int from, int to, int lo, int hi) {
        for (int i = from; i < to && i < body.elements.size(); i++) {
            for (Label l : targets(body.elements.get(i))) {
                int k = body.keyOf(l);
                if (k >= lo && k <= hi) return true;
            }
        }
        return false;
    }

    private static List<Label> targets(CodeElement e) {
        return switch (e) {
            case BranchInstruction b -> List.of(b.target());
            case LookupSwitchInstruction s -> concat(s.defaultTarget(), s.cases());
            case TableSwitchInstruction s -> concat(s.defaultTarget(), s.cases());
            default -> List.of();
        };
    }

    /**
     * The right operand of {@code &&} or {@code ||} after a tensor condition's jump (element {@code br}, to
     * {@code target}): {site, branch} of the next tensor condition when only straight-line code computes it and the
     * left jump goes where its jump goes, or just past its jump (javac's patterns); null otherwise.
     */
    int[] shortCircuitPartner(int br, Label target, int to, boolean valueRegion) {
        int targetKey = body.keyOf(target);
        for (int j = br + 1; j < to || (valueRegion && j == to); j++) {
            CodeElement e = body.elements.get(j);
            if (!targets(e).isEmpty() || e instanceof ReturnInstruction || e instanceof ThrowInstruction
                    || e instanceof StoreInstruction || e instanceof IncrementInstruction     // statements: nested ifs
                    || (e instanceof LabelTarget t && backTargets().contains(body.keyOf(t.label())))) {  // a loop
                return null;
            }
            if (!isTensorCondition(e)) continue;
            int rightBr = body.nextInstruction(j + 1);
            if ((rightBr >= to && j != to) || !(body.elements.get(rightBr) instanceof BranchInstruction b)
                    || (b.opcode() != Opcode.IFEQ && b.opcode() != Opcode.IFNE)) return null;
            int rightKey = body.keyOf(b.target());
            if (rightKey <= body.key(rightBr) && j != to) return null;    // a do-while's condition, from inside
            return targetKey == rightKey || targetKey == body.key(rightBr + 1) ? new int[] {j, rightBr} : null;
        }
        return null;
    }

    private Set<Integer> backTargets;

    /** The places a backward jump goes to: loop starts. */
    private Set<Integer> backTargets() {
        if (backTargets == null) {
            backTargets = new HashSet<>();
            for (int i = 0; i < body.elements.size(); i++) {
                for (Label l : targets(body.elements.get(i))) {
                    if (body.keyOf(l) <= body.key(i)) backTargets.add(body.keyOf(l));
                }
            }
        }
        return backTargets;
    }

    ConversionException jumpOut(int constructLine, int at) {
        int line = constructLine > 0 ? constructLine : body.lineAt(at);
        return new ConversionException(body.sourceFile, line, "a jump (at line " + body.lineAt(at) + ") out of a "
                + "block that depends on this tensor condition cannot be converted: a break, continue or return of a "
                + "Java loop (one with a Java condition) cannot depend on a tensor (use a loop on a tensor "
                + "condition), and tensor conditions joined by && or || cannot have an else (combine them with "
                + "Ops.logicalAnd / Ops.logicalOr and call booleanValue() once)");
    }

    /**
     * Whether code in [from, to) jumps outside [from, to] (other than to {@code bodyStart}, where {@code ||} jumps
     * into the loop body): then it is not the condition of a while loop.
     */
    boolean jumpsOutside(int from, int to, int bodyStart) {
        int lo = body.key(from), hi = body.key(to);
        for (int i = from; i < to; i++) {
            if (body.elements.get(i) instanceof BranchInstruction b) {
                int k = body.keyOf(b.target());
                if ((k < lo || k > hi) && k != bodyStart) return true;
            } else if (body.elements.get(i) instanceof LookupSwitchInstruction
                    || body.elements.get(i) instanceof TableSwitchInstruction) {
                return true;
            }
        }
        return false;
    }

    static boolean isTensorCondition(CodeElement e) {
        return e instanceof InvokeInstruction inv && inv.opcode() == Opcode.INVOKEVIRTUAL
                && inv.owner().asInternalName().equals("org/nabla/Tensor")
                && inv.name().equalsString("booleanValue") && inv.type().equalsString("()Z");
    }

    /** {@code Tensor.intValue()}: a tensor switch's selector when a switch instruction follows. */
    static boolean isTensorSwitch(CodeElement e) {
        return e instanceof InvokeInstruction inv && inv.opcode() == Opcode.INVOKEVIRTUAL
                && inv.owner().asInternalName().equals("org/nabla/Tensor")
                && inv.name().equalsString("intValue") && inv.type().equalsString("()I");
    }

    void checkNoCatchAround(int site) {
        int k = body.key(site);
        for (ExceptionCatch c : body.catches) {
            if (body.keyOf(c.tryStart()) <= k && k < body.keyOf(c.tryEnd())) {
                throw new ConversionException(body.sourceFile, body.lineAt(site), "a tensor condition inside try/catch "
                        + "(or try-with-resources) cannot be converted: move the try block out of the converted "
                        + "method, or the if/loop out of the try block");
            }
        }
    }

    /** The first element index at or after {@code notBefore} whose place is {@code key}. */
    int firstWithKey(int key, int notBefore) {
        for (int i = notBefore; i < body.elements.size(); i++) if (body.key(i) == key) return i;
        return body.elements.size();
    }

    Set<Integer> assignedSlots(int from, int to) {
        Set<Integer> slots = new HashSet<>();
        for (int i = from; i < to; i++) {
            CodeElement e = body.elements.get(i);
            if (e instanceof StoreInstruction s) slots.add(s.slot());
            else if (e instanceof IncrementInstruction inc) slots.add(inc.slot());
        }
        return slots;
    }

    /** How code in [from, to) may leave: through its join, the enclosing region's exits, or return. */
    Set<Integer> exitsOf(int from, int to, Set<Integer> joinKeys, Map<Integer, Integer> enclosingExits,
                         boolean enclosingIsTop, int enclosingLine) {
        Set<Integer> exits = new LinkedHashSet<>();
        int lo = body.key(from), hi = body.key(to);
        for (int i = from; i < to; i++) {
            CodeElement e = body.elements.get(i);
            for (Label l : targets(e)) {
                int k = body.keyOf(l);
                if (k >= lo && k < hi) continue;
                if (enclosingExits.containsKey(k)) exits.add(enclosingExits.get(k));
                else if (joinKeys.contains(k)) exits.add(Exits.FALL);
                else if (!enclosingIsTop) {
                    throw jumpOut(enclosingLine, i);
                }
            }
            if (e instanceof ReturnInstruction) exits.add(Exits.RETURN);
        }
        int last = body.lastInstructionBefore(to);
        CodeElement lastEl = last >= from ? body.elements.get(last) : null;
        boolean leaves = lastEl instanceof ReturnInstruction || lastEl instanceof ThrowInstruction
                || (lastEl instanceof BranchInstruction g && (g.opcode() == Opcode.GOTO || g.opcode() == Opcode.GOTO_W));
        if (!leaves) exits.add(Exits.FALL);
        return exits;
    }

    private static List<Label> concat(Label first, List<SwitchCase> cases) {
        List<Label> all = new ArrayList<>();
        all.add(first);
        for (SwitchCase c : cases) all.add(c.target());
        return all;
    }

    /** The first write to a Java object in [from, to) that tracing would run only once, or null. */
    String sideEffect(int from, int to) {
        for (int i = from; i < to; i++) {
            CodeElement e = body.elements.get(i);
            String what = null;
            if (e instanceof FieldInstruction f && (f.opcode() == Opcode.PUTFIELD || f.opcode() == Opcode.PUTSTATIC)) {
                what = "assigns the field " + f.owner().asInternalName().replace('/', '.') + "." + f.name();
            } else if (e instanceof InvokeInstruction inv && inv.owner().asInternalName().startsWith("java/util/")
                    && MUTATORS.contains(inv.name().stringValue())) {
                what = "calls " + inv.owner().asInternalName().replace('/', '.') + "." + inv.name();
            } else if (e instanceof InvokeInstruction inv && inv.owner().asInternalName().equals("java/io/PrintStream")) {
                what = "prints (" + inv.name() + ")";
            }
            if (what != null) return what + " at " + body.where(i);
        }
        return null;
    }

    private static final Set<String> MUTATORS = Set.of("add", "addAll", "put", "putAll", "remove", "removeAll",
            "set", "clear", "offer", "push", "poll", "pop", "addFirst", "addLast", "removeFirst", "removeLast",
            "merge", "compute", "computeIfAbsent", "computeIfPresent", "replace", "replaceAll", "sort");

    static List<Construct.Local> locals(List<LocalVariable> vars) {
        return vars.stream().map(v -> new Construct.Local(v.slot(), v.name().stringValue(),
                v.type().stringValue())).toList();
    }

    static List<Construct.Local> union(List<Construct.Local> a, List<Construct.Local> b) {
        List<Construct.Local> out = new ArrayList<>(a);
        for (Construct.Local v : b) if (out.stream().noneMatch(o -> o.slot() == v.slot())) out.add(v);
        return out;
    }

    /** The entry locals still in scope (same slot and type) where a region starts: what its prologue loads. */
    List<Construct.Local> prologue(int regionStart, List<Construct.Local> entry) {
        List<Construct.Local> there = locals(body.inScope(regionStart));
        return entry.stream().filter(v -> there.stream().anyMatch(t -> t.slot() == v.slot()
                && t.descriptor().equals(v.descriptor()))).toList();
    }
}
