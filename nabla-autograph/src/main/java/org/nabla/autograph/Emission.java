package org.nabla.autograph;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The state of one region being written: its labels, the exits it takes, its epilogues. */
final class Emission {
    final CodeBuilder cb;
    final Region r;
    final Map<Integer, Label> byKey = new HashMap<>();
    final Set<Integer> bound = new HashSet<>();
    final Map<Integer, Label> trampolines = new TreeMap<>();
    final Label fallEpilogue;
    final Label exitEpilogue;
    final Label end;
    private final MethodBody body;
    private final CodeShapes shapes;

    Emission(CodeBuilder cb, Region r, MethodBody body, CodeShapes shapes) {
        this.body = body;
        this.shapes = shapes;
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
