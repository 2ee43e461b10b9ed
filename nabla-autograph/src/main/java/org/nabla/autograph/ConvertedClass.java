package org.nabla.autograph;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.SourceFileAttribute;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
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
    /** The loader of the original class: other classes' class files are read through it. */
    final ClassLoader loader;
    final ClassDesc name;
    final List<Construct> constructs = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Map<String, String> converted = new HashMap<>();
    private final Map<String, Optional<ClassModel>> others = new HashMap<>();
    private int counter;

    ConvertedClass(ClassModel host, ClassDesc name, ClassLoader loader) {
        this.host = host;
        this.loader = loader;
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

    /** The descriptor of {@code method}'s converted static version: the receiver first for an instance method. */
    static MethodTypeDesc convertedType(ClassDesc owner, MethodModel method) {
        MethodTypeDesc t = method.methodTypeSymbol();
        return method.flags().has(AccessFlag.STATIC) ? t : t.insertParameterTypes(0, owner);
    }

    /**
     * A lambda created in converted code whose body (a synthetic method of this class) has tensor conditions of its
     * own: the same call site made on its converted version, or empty.
     */
    Optional<DynamicCallSiteDesc> convertedLambda(InvokeDynamicInstruction indy) {
        DirectMethodHandleDesc bsm = indy.bootstrapMethod();
        if (!bsm.owner().descriptorString().equals("Ljava/lang/invoke/LambdaMetafactory;")
                || indy.bootstrapArgs().size() < 3 || !(indy.bootstrapArgs().get(1) instanceof DirectMethodHandleDesc
                impl) || !impl.owner().equals(hostDesc)) {
            return Optional.empty();
        }
        for (MethodModel m : host.methods()) {
            if (!m.methodName().equalsString(impl.methodName())
                    || !m.methodType().equalsString(impl.lookupDescriptor())) continue;
            if (m.code().isEmpty() || doNotConvert(m) || !CodeShapes.hasTensorCondition(m)) break;
            List<ConstantDesc> args = new ArrayList<>(indy.bootstrapArgs());
            args.set(1, MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC, name, convert(m),
                    convertedType(hostDesc, m)));
            return Optional.of(DynamicCallSiteDesc.of(bsm, indy.name().stringValue(), indy.typeSymbol(),
                    args.toArray(ConstantDesc[]::new)));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code inv} calls a method of another class of the user's (not the JDK's, not Nabla's) whose class file
     * is readable and that has tensor conditions: then the call is linked to its converted version at run time
     * ({@link AutoGraphRuntime#linkCall}).
     */
    boolean callsConvertibleElsewhere(InvokeInstruction inv) {
        if (inv.opcode() != Opcode.INVOKESTATIC && inv.opcode() != Opcode.INVOKEVIRTUAL) return false;
        String owner = inv.owner().asInternalName();
        if (owner.equals(host.thisClass().asInternalName()) || owner.startsWith("[") || isLibrary(owner)) return false;
        Optional<ClassModel> model = others.computeIfAbsent(owner, this::read);
        if (model.isEmpty() || doNotConvert(model.get())) return false;
        for (MethodModel m : model.get().methods()) {
            if (m.methodName().equals(inv.name()) && m.methodType().equals(inv.type())) {
                return m.code().isPresent() && !doNotConvert(m) && CodeShapes.hasTensorCondition(m)
                        && m.flags().has(AccessFlag.STATIC) == (inv.opcode() == Opcode.INVOKESTATIC);
            }
        }
        return false;
    }

    /** The JDK's classes and Nabla's own (except the converted class's package, where Nabla's tests live). */
    private boolean isLibrary(String owner) {
        String hostName = host.thisClass().asInternalName();
        String hostPackage = hostName.substring(0, Math.max(0, hostName.lastIndexOf('/') + 1));
        if (owner.startsWith("org/nabla/")) {
            return !(owner.startsWith(hostPackage) && owner.indexOf('/', hostPackage.length()) < 0);
        }
        return owner.startsWith("java/") || owner.startsWith("javax/") || owner.startsWith("jdk/")
                || owner.startsWith("sun/") || owner.startsWith("com/sun/");
    }

    private Optional<ClassModel> read(String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? Optional.empty() : Optional.of(ClassFile.of().parse(in.readAllBytes()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean doNotConvert(MethodModel m) {
        return m.findAttribute(Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations().stream()
                .anyMatch(x -> x.className().equalsString(DO_NOT_CONVERT))).orElse(false);
    }

    static boolean doNotConvert(ClassModel c) {
        return c.findAttribute(Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations().stream()
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
