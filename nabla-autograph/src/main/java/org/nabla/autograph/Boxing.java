package org.nabla.autograph;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.Map;

/** Locals in and out of frames ({@code Object[]}): boxing a primitive local by its descriptor, and back. */
final class Boxing {
    private Boxing() {}

    static TypeKind kind(String descriptor) {
        return TypeKind.fromDescriptor(descriptor);
    }

    private static final Map<String, String[]> BOXES = Map.of(
            "I", new String[] {"java.lang.Integer", "intValue"}, "J", new String[] {"java.lang.Long", "longValue"},
            "F", new String[] {"java.lang.Float", "floatValue"}, "D", new String[] {"java.lang.Double", "doubleValue"},
            "Z", new String[] {"java.lang.Boolean", "booleanValue"}, "B", new String[] {"java.lang.Byte", "byteValue"},
            "C", new String[] {"java.lang.Character", "charValue"}, "S", new String[] {"java.lang.Short", "shortValue"});

    static void box(CodeBuilder cb, String descriptor) {
        String[] b = BOXES.get(descriptor);
        if (b == null) return;
        ClassDesc boxed = ClassDesc.of(b[0]);
        cb.invokestatic(boxed, "valueOf", MethodTypeDesc.of(boxed, ClassDesc.ofDescriptor(descriptor)));
    }

    static void unbox(CodeBuilder cb, String descriptor) {
        String[] b = BOXES.get(descriptor);
        if (b == null) {
            if (!descriptor.equals("Ljava/lang/Object;")) cb.checkcast(ClassDesc.ofDescriptor(descriptor));
            return;
        }
        ClassDesc boxed = ClassDesc.of(b[0]);
        cb.checkcast(boxed).invokevirtual(boxed, b[1], MethodTypeDesc.of(ClassDesc.ofDescriptor(descriptor)));
    }
}
