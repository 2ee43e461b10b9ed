package org.nabla.autograph;

import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LocalVariable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One method's code as a flat list of elements, with what the converter asks of it: where a label points (as a count
 * of real instructions before it, so labels at the same place compare equal), the source line at an element, and the
 * local variables in scope there (from the LocalVariableTable, which javac writes with {@code -g}; Maven's default).
 */
final class MethodBody {
    final List<CodeElement> elements;
    final String sourceFile;
    final String methodName;
    final int maxLocals;
    final List<LocalVariable> locals = new ArrayList<>();
    final List<ExceptionCatch> catches = new ArrayList<>();
    private final int[] key;
    private final Map<Label, Integer> labelIndex = new IdentityHashMap<>();
    /** Values on the operand stack at each branch target (javac's stack map frames), by place. */
    private final Map<Integer, Integer> stackDepthAt = new java.util.HashMap<>();
    /** The descriptor of the value on top of the operand stack at each branch target (null: empty or primitive). */
    private final Map<Integer, String> stackTopAt = new java.util.HashMap<>();

    MethodBody(CodeModel code, String sourceFile, String methodName) {
        this.elements = List.copyOf(code.elementList());
        this.sourceFile = sourceFile;
        this.methodName = methodName;
        this.maxLocals = ((java.lang.classfile.attribute.CodeAttribute) code).maxLocals();
        key = new int[elements.size() + 1];
        int instructions = 0;
        for (int i = 0; i < elements.size(); i++) {
            key[i] = instructions;
            CodeElement e = elements.get(i);
            if (e instanceof Instruction) instructions++;
            else if (e instanceof LabelTarget t) labelIndex.put(t.label(), i);
            else if (e instanceof LocalVariable v) locals.add(v);
            else if (e instanceof ExceptionCatch c) catches.add(c);
        }
        key[elements.size()] = instructions;
        code.findAttribute(java.lang.classfile.Attributes.stackMapTable()).ifPresent(t -> t.entries().forEach(f -> {
            stackDepthAt.put(keyOf(f.target()), f.stack().size());
            if (!f.stack().isEmpty() && f.stack().getLast()
                    instanceof java.lang.classfile.attribute.StackMapFrameInfo.ObjectVerificationTypeInfo o) {
                stackTopAt.put(keyOf(f.target()), o.classSymbol().descriptorString());
            }
        }));
        if (locals.isEmpty() && maxLocals > 0) {
            throw new ConversionException(sourceFile, lineAt(0), "AutoGraph needs the local variable table of "
                    + methodName + ": compile it with -g (javac's debug information; Maven adds it by default)");
        }
    }

    /** The element index of a label's target. */
    int indexOf(Label label) {
        Integer i = labelIndex.get(label);
        if (i == null) throw new IllegalStateException("label without target in " + methodName);
        return i;
    }

    /** The place of an element index: how many real instructions come before it. */
    int key(int index) { return key[index]; }

    /** The place a label points at. */
    int keyOf(Label label) { return key[indexOf(label)]; }

    /** The source line of the element at {@code index} (-1 when the method has no line table). */
    int lineAt(int index) {
        for (int i = Math.min(index, elements.size() - 1); i >= 0; i--) {
            if (elements.get(i) instanceof LineNumber n) return n.line();
        }
        for (int i = index + 1; i < elements.size(); i++) {
            if (elements.get(i) instanceof LineNumber n) return n.line();
        }
        return -1;
    }

    /** The local variables in scope at element {@code index}, one per slot. */
    List<LocalVariable> inScope(int index) {
        int k = key(index);
        List<LocalVariable> out = new ArrayList<>();
        for (LocalVariable v : locals) {
            if (keyOf(v.startScope()) <= k && k < keyOf(v.endScope())
                    && out.stream().noneMatch(o -> o.slot() == v.slot())) {
                out.add(v);
            }
        }
        out.sort((a, b) -> Integer.compare(a.slot(), b.slot()));
        return out;
    }

    /** How many values are on the operand stack at the branch target {@code key} (0 when not a target). */
    int stackDepthAt(int key) { return stackDepthAt.getOrDefault(key, 0); }

    /** The descriptor of the reference on top of the operand stack at the branch target {@code key}, or null. */
    String stackTopAt(int key) { return stackTopAt.get(key); }

    /** The index of the last real instruction before element {@code index}, or -1. */
    int lastInstructionBefore(int index) {
        for (int i = index - 1; i >= 0; i--) if (elements.get(i) instanceof Instruction) return i;
        return -1;
    }

    /** The index of the first real instruction at or after element {@code index}. */
    int nextInstruction(int index) {
        for (int i = index; i < elements.size(); i++) if (elements.get(i) instanceof Instruction) return i;
        return elements.size();
    }

    String where(int index) {
        return (sourceFile == null ? "?" : sourceFile) + ":" + lineAt(index);
    }
}
