package org.nabla.autograph;

import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One converted {@code if} or loop on a tensor condition: what the rewritten bytecode tells the runtime by its id.
 * Regions are the outlined blocks (static methods {@code Object[] (Object[] frame)} of the converted class): for an
 * if, {@code whenTrue} runs when the condition holds and {@code whenFalse} when it does not (null when empty); for a
 * loop, {@code whenTrue} is the condition (its result's value slot holds the tensor) and {@code whenFalse} the body.
 */
final class Construct {
    enum Kind { IF, WHILE, DO_WHILE, SHORT_CIRCUIT, CASE }

    /** A local variable of the original method: its slot, name and type descriptor. */
    record Local(int slot, String name, String descriptor) {
        boolean isTensor() { return descriptor.equals("Lorg/nabla/Tensor;"); }
        String javaType() {
            String d = descriptor;
            return switch (d) {
                case "I" -> "int"; case "J" -> "long"; case "F" -> "float"; case "D" -> "double";
                case "Z" -> "boolean"; case "B" -> "byte"; case "C" -> "char"; case "S" -> "short";
                default -> d.startsWith("L") ? d.substring(d.lastIndexOf('/') + 1, d.length() - 1) : d;
            };
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<Integer, Construct> REGISTRY = new ConcurrentHashMap<>();

    final int id = IDS.incrementAndGet();
    final Kind kind;
    final String sourceFile;
    final int line;
    /** The condition is negated ({@code if (!t.booleanValue())}, javac's {@code ifne}). */
    final boolean negate;
    /** The locals the construct may change, that the code after it reads back. */
    final List<Local> outputs;
    /** IF: how its branches may leave (Exits codes); WHILE: how the body may leave. */
    final Set<Integer> exits;
    /** A write to a Java object inside the construct (field, collection), with its line; null when none seen. */
    final String sideEffect;
    final String whenTrueName;
    final String whenFalseName;
    /** IF: the exit of an empty branch (javac may jump straight to a loop's start or end: continue, break). */
    final int emptyExit;
    /** IF: a conditional expression {@code c ? a : b}, whose branches' values (result slot 1) are a Cond output. */
    boolean yieldsValue;
    /**
     * SHORT_CIRCUIT: the left operand's jump is taken when it is true ({@code leftJumpsWhen}), the right one's when it
     * is {@code rightJumpsWhen}, and {@code sameTarget} says whether both jump to the same place (else the left one
     * skips the right one's jump).
     */
    boolean leftJumpsWhen, rightJumpsWhen, sameTarget;
    /**
     * SHORT_CIRCUIT: the pair ends a loop's condition, whose own jump (the right operand's) follows: the value is
     * then the condition that jump tests, not whether it is taken.
     */
    boolean endsValue;
    /** CASE: the case values and the arm (branch index) each selects; any other value selects the last branch. */
    int[] caseValues, caseArms;
    /** CASE: the branches' outlined methods (null: an empty arm), the default arm last. */
    List<String> branchNames;
    volatile MethodHandle[] branches;
    volatile MethodHandle whenTrue;
    volatile MethodHandle whenFalse;

    Construct(Kind kind, String sourceFile, int line, boolean negate, List<Local> outputs, Set<Integer> exits,
              String sideEffect, String whenTrueName, String whenFalseName, int emptyExit) {
        this.kind = kind;
        this.sourceFile = sourceFile;
        this.line = line;
        this.negate = negate;
        this.outputs = List.copyOf(outputs);
        this.exits = Set.copyOf(exits);
        this.sideEffect = sideEffect;
        this.whenTrueName = whenTrueName;
        this.whenFalseName = whenFalseName;
        this.emptyExit = emptyExit;
        REGISTRY.put(id, this);
    }

    void cases(List<int[]> valueToArm, List<String> names) {
        caseValues = valueToArm.stream().mapToInt(v -> v[0]).toArray();
        caseArms = valueToArm.stream().mapToInt(v -> v[1]).toArray();
        branchNames = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(names));
    }

    static Construct byId(int id) {
        Construct c = REGISTRY.get(id);
        if (c == null) throw new IllegalStateException("AutoGraph: no converted construct " + id);
        return c;
    }

    ConversionException error(String message) { return new ConversionException(sourceFile, line, message); }
}
