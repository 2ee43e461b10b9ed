package org.nabla.autograph;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.SourceFileAttribute;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The class that converted code lives in: the entry method, the methods of the same class it calls that have tensor
 * conditions of their own (converted too, as AutoGraph converts the functions a converted function calls), and the
 * outlined blocks of all of them. Loaded as a hidden nestmate of the original class.
 */
final class ConvertedClass {
    private static final String DO_NOT_CONVERT = "Lorg/nabla/autograph/DoNotConvert;";

    private record Job(String name, MethodTypeDesc type, Consumer<CodeBuilder> code) {}

    final ClassModel host;
    final ClassDesc hostDesc;
    final ClassDesc name;
    final List<Construct> constructs = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Map<String, String> converted = new HashMap<>();
    private int counter;

    ConvertedClass(ClassModel host, ClassDesc name) {
        this.host = host;
        this.hostDesc = host.thisClass().asSymbol();
        this.name = name;
    }

    /** A fresh member name made of {@code stem}. */
    String newName(String stem) { return "autograph$" + (counter++) + "$" + stem.replaceAll("[^A-Za-z0-9_]", "_"); }

    /** Queues a static method {@code name} whose code {@code code} writes. */
    void add(String methodName, MethodTypeDesc type, Consumer<CodeBuilder> code) {
        jobs.add(new Job(methodName, type, code));
    }

    /** Converts {@code method} (once) and returns the name of its converted static version. */
    String convert(MethodModel method) {
        String key = method.methodName().stringValue() + method.methodType().stringValue();
        String existing = converted.get(key);
        if (existing != null) return existing;
        String n = newName(method.methodName().stringValue());
        converted.put(key, n);
        Converter c = new Converter(this, method);
        add(n, c.convertedType(), c::emitMethod);
        return n;
    }

    /** The method of this class that {@code inv} calls, when it should run converted too. */
    Optional<MethodModel> convertibleCallee(InvokeInstruction inv) {
        if (!inv.owner().asSymbol().equals(hostDesc) || inv.name().equalsString("<init>")) return Optional.empty();
        for (MethodModel m : host.methods()) {
            if (!m.methodName().equals(inv.name()) || !m.methodType().equals(inv.type())) continue;
            boolean direct = inv.opcode() == Opcode.INVOKESTATIC || m.flags().has(AccessFlag.PRIVATE)
                    || m.flags().has(AccessFlag.FINAL);
            if (!direct || m.code().isEmpty() || doNotConvert(m) || !CodeShapes.hasTensorCondition(m)) break;
            return Optional.of(m);
        }
        return Optional.empty();
    }

    static boolean doNotConvert(MethodModel m) {
        return m.findAttribute(Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations().stream()
                .anyMatch(x -> x.className().equalsString(DO_NOT_CONVERT))).orElse(false);
    }

    byte[] build(ClassHierarchyResolver resolver, String sourceFile) {
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        return cf.build(name, clb -> {
            clb.withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL, AccessFlag.SYNTHETIC);
            if (sourceFile != null) clb.with(SourceFileAttribute.of(sourceFile));
            while (!jobs.isEmpty()) {
                Job j = jobs.removeFirst();
                clb.withMethodBody(j.name(), j.type(), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, j.code()::accept);
            }
        });
    }
}
