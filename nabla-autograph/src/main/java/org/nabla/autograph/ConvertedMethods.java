package org.nabla.autograph;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;

/**
 * Finds the method behind a lambda or method reference (its {@link SerializedLambda}), converts it once (cached per
 * method) into a hidden class that is a nestmate of the method's class (so private members stay reachable), and
 * returns a handle on the converted method with the lambda's captured values bound.
 */
final class ConvertedMethods {
    private static final Map<String, MethodHandle> CACHE = new ConcurrentHashMap<>();

    private ConvertedMethods() {}

    /** What a function value resolves to: a name for its graphs and a handle taking the interface's arguments. */
    record Resolved(String name, MethodHandle handle) {}

    static Resolved resolve(Serializable fn) {
        SerializedLambda sl = serializedLambda(fn);
        int kind = sl.getImplMethodKind();
        if (kind != MethodHandleInfo.REF_invokeStatic && kind != MethodHandleInfo.REF_invokeVirtual
                && kind != MethodHandleInfo.REF_invokeSpecial) {
            throw new IllegalArgumentException("AutoGraph converts static methods, instance methods of classes and "
                    + "lambdas; " + sl.getImplClass().replace('/', '.') + "." + sl.getImplMethodName() + " is "
                    + MethodHandleInfo.referenceKindToString(kind) + " (a constructor or an interface method)");
        }
        Class<?> host;
        try {
            host = Class.forName(sl.getImplClass().replace('/', '.'), false, fn.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("AutoGraph: cannot load " + sl.getImplClass(), e);
        }
        String name = sl.getImplMethodName();
        String descriptor = sl.getImplMethodSignature();
        Object[] captured = new Object[sl.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) captured[i] = sl.getCapturedArg(i);
        MethodHandle h = doNotConvert(host, name, descriptor) ? original(host, name, descriptor, kind)
                : CACHE.computeIfAbsent(host.getName() + "." + name + descriptor,
                        k -> convertOrDefer(host, name, descriptor, kind));
        if (captured.length > 0) h = MethodHandles.insertArguments(h, 0, captured);
        return new Resolved(name.startsWith("lambda$") ? "autograph_lambda" : name, h);
    }

    private static SerializedLambda serializedLambda(Serializable fn) {
        if (fn == null) throw new IllegalArgumentException("AutoGraph: the function is null");
        MethodHandles.Lookup caller = CALLER.get();
        if (caller != null) {
            try {       // the lambda class is a nestmate of the caller's: its lookup reaches writeReplace in any module
                Object r = caller.findVirtual(fn.getClass(), "writeReplace", MethodType.methodType(Object.class))
                        .invoke(fn);
                if (r instanceof SerializedLambda sl) return sl;
            } catch (Throwable e) {
                // fall back to reflection
            }
        }
        try {
            Method m = fn.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            if (m.invoke(fn) instanceof SerializedLambda sl) return sl;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a lambda: reported below
        }
        throw new IllegalArgumentException("AutoGraph converts lambdas and method references (static methods, "
                + "instance methods of classes); " + fn.getClass().getName() + " is neither: pass its method as a "
                + "reference, e.g. obj::step");
    }

    /**
     * The converted version of a method of another class that converted code calls (the receiver first for an
     * instance method); the original when its class opts out.
     */
    static MethodHandle converted(Class<?> host, String name, String descriptor, boolean isStatic) {
        int kind = isStatic ? MethodHandleInfo.REF_invokeStatic : MethodHandleInfo.REF_invokeVirtual;
        if (doNotConvert(host, name, descriptor)) return original(host, name, descriptor, kind);
        return CACHE.computeIfAbsent(host.getName() + "." + name + descriptor,
                k -> convertOrDefer(host, name, descriptor, kind));
    }

    /** The method itself, not converted. */
    static MethodHandle original(Class<?> host, String name, String descriptor, boolean isStatic) {
        return original(host, name, descriptor,
                isStatic ? MethodHandleInfo.REF_invokeStatic : MethodHandleInfo.REF_invokeVirtual);
    }

    private static boolean doNotConvert(Class<?> host, String name, String descriptor) {
        if (host.isAnnotationPresent(DoNotConvert.class)) return true;
        for (Method m : host.getDeclaredMethods()) {
            if (m.getName().equals(name) && MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                    .toMethodDescriptorString().equals(descriptor)) {
                return m.isAnnotationPresent(DoNotConvert.class);
            }
        }
        return false;
    }

    private static MethodHandle original(Class<?> host, String name, String descriptor, int kind) {
        try {
            MethodHandles.Lookup lookup = lookupIn(host);
            MethodType type = MethodType.fromMethodDescriptorString(descriptor, host.getClassLoader());
            return kind == MethodHandleInfo.REF_invokeStatic ? lookup.findStatic(host, name, type)
                    : lookup.findVirtual(host, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("AutoGraph: cannot reach " + host.getName() + "." + name, e);
        }
    }

    /**
     * The converted method; for code that cannot be converted, a handle that runs the original eagerly (where it
     * works as written) and throws the conversion error when called while a graph is being built.
     */
    private static MethodHandle convertOrDefer(Class<?> host, String name, String descriptor, int kind) {
        try {
            return convert(host, name, descriptor);
        } catch (ConversionException e) {
            MethodHandle original = original(host, name, descriptor, kind);
            MethodHandle fail = MethodHandles.dropArguments(MethodHandles.throwException(original.type().returnType(),
                    ConversionException.class).bindTo(e), 0, original.type().parameterList());
            MethodHandle eager = MethodHandles.dropArguments(EAGER, 0, original.type().parameterList());
            return MethodHandles.guardWithTest(eager, original, fail);
        }
    }

    private static final MethodHandle EAGER;

    static {
        try {
            EAGER = MethodHandles.lookup().findStatic(ConvertedMethods.class, "eager", MethodType.methodType(
                    boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static boolean eager() {
        return ExecutionContext.current().target() == EagerContext.INSTANCE;
    }

    private static MethodHandle convert(Class<?> host, String name, String descriptor) {
        byte[] bytes = classBytes(host);
        ClassModel model = ClassFile.of().parse(bytes);
        MethodModel method = model.methods().stream()
                .filter(m -> m.methodName().equalsString(name) && m.methodType().equalsString(descriptor))
                .findFirst().orElseThrow(() -> new IllegalStateException("AutoGraph: " + host.getName() + "."
                        + name + descriptor + " is not in its class file"));
        ClassLoader loader = host.getClassLoader() != null ? host.getClassLoader() : ClassLoader.getSystemClassLoader();
        ConvertedClass target = new ConvertedClass(model, ClassDesc.of(host.getName() + "$AutoGraph"), loader);
        String entry = target.convert(method);
        Converter converter = new Converter(target, method);
        ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver()
                .orElse(ClassHierarchyResolver.ofResourceParsing(loader))
                .orElse(ClassHierarchyResolver.ofClassLoading(loader));
        byte[] converted = target.build(resolver, converter.sourceFile());
        try {
            MethodHandles.Lookup in = lookupIn(host);
            MethodHandles.Lookup hidden;
            if (in.hasFullPrivilegeAccess()) {
                hidden = in.defineHiddenClass(converted, true, MethodHandles.Lookup.ClassOption.NESTMATE);
            } else {
                // Another module (another class loader's unnamed module, or a named module without a Lookup
                // given): no hidden nestmate can be made, so the converted class is an ordinary class of a child
                // loader and reaches only the public members of the original class.
                hidden = MethodHandles.publicLookup().in(new SiblingLoader(host.getClassLoader())
                        .define(target.name.displayName(), host.getPackageName(), converted));
            }
            Class<?> cls = hidden.lookupClass();
            MethodType regionType = MethodType.methodType(Object[].class, Object[].class);
            for (Construct c : target.constructs) {
                c.whenTrue = c.whenTrueName == null ? null : hidden.findStatic(cls, c.whenTrueName, regionType);
                c.whenFalse = c.whenFalseName == null ? null : hidden.findStatic(cls, c.whenFalseName, regionType);
                if (c.branchNames != null) {
                    MethodHandle[] hs = new MethodHandle[c.branchNames.size()];
                    for (int b = 0; b < hs.length; b++) {
                        String n = c.branchNames.get(b);
                        hs[b] = n == null ? null : hidden.findStatic(cls, n, regionType);
                    }
                    c.branches = hs;
                }
            }
            MethodType type = (MethodType) converter.convertedType().resolveConstantDesc(hidden);
            return hidden.findStatic(cls, entry, type);
        } catch (ReflectiveOperationException | VerifyError e) {
            throw new IllegalStateException("AutoGraph: the converted " + host.getName() + "." + name
                    + " does not load: " + e, e);
        }
    }

    /** A lookup of the caller's that {@link AutoGraph} was given for the current resolution, if any. */
    private static final ThreadLocal<MethodHandles.Lookup> CALLER = new ThreadLocal<>();

    /** Resolves {@code fn} with the caller's own lookup, which reaches into its module as no other can. */
    static Resolved resolve(Serializable fn, MethodHandles.Lookup caller) {
        CALLER.set(caller);
        try {
            return resolve(fn);
        } finally {
            CALLER.remove();
        }
    }

    private static MethodHandles.Lookup lookupIn(Class<?> host) {
        MethodHandles.Lookup caller = CALLER.get();
        if (caller != null && caller.lookupClass() == host && caller.hasFullPrivilegeAccess()) return caller;
        ConvertedMethods.class.getModule().addReads(host.getModule());
        try {
            return MethodHandles.privateLookupIn(host, caller != null ? caller : MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("AutoGraph cannot reach into " + host.getName() + ": open its package "
                    + "to org.nabla.autograph (module-info: opens " + host.getPackageName()
                    + " to org.nabla.autograph;)", e);
        }
    }

    private static byte[] classBytes(Class<?> host) {
        String resource = "/" + host.getName().replace('.', '/') + ".class";
        try (InputStream in = host.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("AutoGraph cannot read the class file of " + host.getName()
                        + " (a hidden or generated class?); only classes loaded from class files can be converted");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("AutoGraph cannot read " + resource, e);
        }
    }
}
