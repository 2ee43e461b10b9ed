package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;

/**
 * Guards the op catalog: every registered op has a CPU kernel and a unique name, every public op a front-door method
 * on {@link Ops}, and no internal op (gradient helpers, fused and runtime ops) has one. A new op that misses one of
 * these fails here, naming it.
 */
class OpCatalogTest {
    /** Public ops whose front-door method is not simply the op name in lowerCamel case. */
    private static final Map<String, String> FACADE_NAMES = Map.ofEntries(
            Map.entry("Select", "where"),
            Map.entry("Const", "constant"),
            Map.entry("ArgMax", "argmax"),
            Map.entry("ArgMin", "argmin"),
            Map.entry("MatMul", "matmul"),
            Map.entry("Case", "caseOf"),
            Map.entry("While", "whileLoop"),
            Map.entry("FFT", "fft"), Map.entry("IFFT", "ifft"), Map.entry("FFT2D", "fft2d"),
            Map.entry("IFFT2D", "ifft2d"), Map.entry("RFFT", "rfft"), Map.entry("IRFFT", "irfft"),
            Map.entry("RFFT2D", "rfft2d"), Map.entry("IRFFT2D", "irfft2d"));

    /** The op name in lowerCamel case, a "D" after a digit lowered too: Conv2DBackpropInput -> conv2dBackpropInput. */
    static String facadeName(String opName) {
        String mapped = FACADE_NAMES.get(opName);
        if (mapped != null) return mapped;
        return Character.toLowerCase(opName.charAt(0)) + opName.substring(1).replaceAll("(\\d)D", "$1d");
    }

    @Test
    void everyOpHasACpuKernel() {
        KernelRegistry kernels = KernelRegistry.global();
        List<String> missing = new ArrayList<>();
        for (OpDef op : OpRegistry.all()) {
            boolean any = Arrays.stream(DType.values()).anyMatch(d -> kernels.has(op, CpuDevice.TYPE, d));
            if (!any) missing.add(op.name());
        }
        assertEquals(List.of(), missing, "ops without any CPU kernel");
    }

    /** Public ops reached through another class than {@link Ops}. */
    private static final Set<String> NOT_ON_OPS = Set.of("ReadVariable", "AssignVariable", "AssignAddVariable",
            "AssignSubVariable", // org.nabla.Variable: read, assign, assignAdd, assignSub
            "ApplyGradientDescent"); // org.nabla.Variable.applyGradientDescent

    private static Set<String> frontDoorMethods() {
        return Arrays.stream(Ops.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
    }

    /** The sparse ops' front door is {@link org.nabla.sparse.Sparse} (TensorFlow's tf.sparse), with these names. */
    private static final Map<String, String> SPARSE_FRONT_DOOR = Map.of("SparseToDense", "toDense",
            "DenseToSparse", "fromDense", "SparseTensorDenseAdd", "add", "SparseTensorDenseMatMul", "matmul",
            "SparseReduceSum", "reduceSum", "SparseReorder", "reorder", "SparseSlice", "slice", "SparseAdd", "add",
            "SparseConcat",
            "concat");

    @Test
    void everyPublicSparseOpHasASparseMethod() {
        Set<String> methods = Arrays.stream(org.nabla.sparse.Sparse.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers())).map(Method::getName).collect(Collectors.toSet());
        List<String> missing = OpRegistry.all().stream()
                .filter(op -> !op.isInternal() && op.declaringClass() == org.nabla.sparse.SparseOps.class)
                .map(OpDef::name).filter(n -> !methods.contains(SPARSE_FRONT_DOOR.getOrDefault(n, "?"))).toList();
        assertEquals(List.of(), missing, "sparse ops without a Sparse method (or a row in SPARSE_FRONT_DOOR)");
    }

    /** The string ops' front door is {@link org.nabla.strings.Strings} (TensorFlow's tf.strings), with these names. */
    private static final Map<String, String> STRINGS_FRONT_DOOR = Map.ofEntries(Map.entry("ReduceJoin", "join"),
            Map.entry("StringJoin", "concat"), Map.entry("StringSplitV2", "split"), Map.entry("StringLower", "lower"),
            Map.entry("StringUpper", "upper"), Map.entry("StringLength", "length"), Map.entry("Substr", "substr"),
            Map.entry("StaticRegexFullMatch", "regexFullMatch"), Map.entry("StaticRegexReplace", "regexReplace"),
            Map.entry("StringToNumber", "toNumber"), Map.entry("AsString", "asString"),
            Map.entry("StringToHashBucketFast", "toHashBucketFast"),
            Map.entry("StringToHashBucketStrong", "toHashBucketStrong"));

    @Test
    void everyPublicStringOpHasAStringsMethod() {
        Set<String> methods = Arrays.stream(org.nabla.strings.Strings.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers())).map(Method::getName).collect(Collectors.toSet());
        List<String> missing = OpRegistry.all().stream()
                .filter(op -> !op.isInternal() && op.declaringClass() == org.nabla.strings.StringOps.class)
                .map(OpDef::name).filter(n -> !methods.contains(STRINGS_FRONT_DOOR.getOrDefault(n, "?"))).toList();
        assertEquals(List.of(), missing, "string ops without a Strings method (or a row in STRINGS_FRONT_DOOR)");
    }

    @Test
    void everyPublicOpHasAFrontDoorMethod() {
        Set<String> methods = frontDoorMethods();
        List<String> missing = OpRegistry.all().stream().filter(op -> !op.isInternal())
                .filter(op -> op.declaringClass() != org.nabla.sparse.SparseOps.class)
                .filter(op -> op.declaringClass() != org.nabla.strings.StringOps.class).map(OpDef::name)
                .filter(n -> !methods.contains(facadeName(n)) && !NOT_ON_OPS.contains(n))
                .map(n -> n + " (expected Ops." + facadeName(n) + ")").toList();
        assertEquals(List.of(), missing, "ops without a front-door method");
    }

    @Test
    void internalOpsHaveNoFrontDoorMethod() {
        Set<String> methods = frontDoorMethods();
        List<String> wrapped = OpRegistry.all().stream().filter(OpDef::isInternal).map(OpDef::name)
                .filter(n -> methods.contains(facadeName(n)))
                .map(n -> n + " (Ops." + facadeName(n) + "; run it with Ops.run)").toList();
        assertEquals(List.of(), wrapped, "internal ops with a front-door method");
    }

    @Test
    void frontDoorMethodsAreLowerCamelCase() {
        List<String> odd = frontDoorMethods().stream()
                .filter(n -> !n.matches("[a-z][A-Za-z0-9]*") || n.matches(".*\\dD.*")).sorted().toList();
        assertEquals(List.of(), odd, "front-door methods not in lowerCamel case (write conv2d, not conv2D)");
    }

    @Test
    void catalogIsLoadedAndLookupFailsClearly() {
        assertTrue(OpRegistry.all().size() >= 3);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OpRegistry.get("NoSuchOp"));
        assertTrue(e.getMessage().contains("unknown op 'NoSuchOp'") && e.getMessage().contains("Add"),
                e.getMessage());
    }
}
