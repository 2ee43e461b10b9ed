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
 * Guards the op catalog: every registered op has a CPU kernel, a front-door method on {@link Ops}, and a unique
 * name. A new op that misses one of these fails here, naming it.
 */
class OpCatalogTest {
    /** Ops whose front-door method is not simply the op name in lowerCamel case. */
    private static final Map<String, String> FACADE_NAMES = Map.ofEntries(
            Map.entry("Select", "where"),
            Map.entry("Fill", "fill"),
            Map.entry("Const", "constant"),
            Map.entry("ArgMax", "argmax"),
            Map.entry("ArgMin", "argmin"),
            Map.entry("MatMul", "matmul"),
            
            
            Map.entry("MaxPool2D", "maxPool2d"),
            Map.entry("AvgPool2D", "avgPool2d"),
            Map.entry("Conv2D", "conv2d"),
            Map.entry("IsNan", "isNan"),
            Map.entry("Case", "caseOf"),
            Map.entry("While", "whileLoop"));

    static String facadeName(String opName) {
        String mapped = FACADE_NAMES.get(opName);
        return mapped != null ? mapped : Character.toLowerCase(opName.charAt(0)) + opName.substring(1);
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

    /** Ops reached through another class than {@link Ops}. */
    private static final Set<String> NOT_ON_OPS = Set.of("ReadVariable", "AssignVariable", "AssignAddVariable",
            "AssignSubVariable", // org.nabla.Variable: read, assign, assignAdd, assignSub
            "ApplyGradientDescent", // org.nabla.Variable.applyGradientDescent
            "MatMulApplyGradientDescent", // made by the graph optimizer (UpdateFusion)
            "Send", "Recv", // added by the runtime's partitioner
            "GraphIOTestCall", // registered by GraphIOTest only
            "TensorScopeTestAlias"); // registered by TensorScopeTest only

    @Test
    void everyOpHasAFrontDoorMethod() {
        Set<String> methods = Arrays.stream(Ops.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
        List<String> missing = OpRegistry.all().stream().map(OpDef::name)
                .filter(n -> !methods.contains(facadeName(n)) && !NOT_ON_OPS.contains(n))
                .map(n -> n + " (expected Ops." + facadeName(n) + ")").toList();
        assertEquals(List.of(), missing, "ops without a front-door method");
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
