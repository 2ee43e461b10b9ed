package org.nabla.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.kernels.cpu.CpuArrayKernels;
import org.nabla.kernels.cpu.CpuControlFlowKernels;
import org.nabla.kernels.cpu.CpuFusedKernels;
import org.nabla.kernels.cpu.CpuGradKernels;
import org.nabla.kernels.cpu.CpuGraphKernels;
import org.nabla.kernels.cpu.CpuLinalgKernels;
import org.nabla.kernels.cpu.CpuMathKernels;
import org.nabla.kernels.cpu.CpuNnGradKernels;
import org.nabla.kernels.cpu.CpuNnKernels;
import org.nabla.kernels.cpu.CpuRandomKernels;
import org.nabla.kernels.cpu.CpuReductionKernels;
import org.nabla.kernels.cpu.CpuStateKernels;
import org.nabla.kernels.cpu.CpuTransferKernels;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.ControlFlowOps;
import org.nabla.ops.FusedOps;
import org.nabla.ops.GradOps;
import org.nabla.ops.GraphOps;
import org.nabla.ops.LinalgOps;
import org.nabla.ops.MathOps;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.OpRegistry;
import org.nabla.ops.RandomOps;
import org.nabla.ops.ReductionOps;
import org.nabla.ops.StateOps;
import org.nabla.ops.TransferOps;
import org.junit.jupiter.api.Test;

/** Kernel families registered on first use: found when needed, never missed, and errors still list everything. */
class KernelRegistryDeferralTest {
    private static final Kernel NOTHING = ctx -> new Tensor[0];

    @Test
    void aFamilyRegistersWhenOneOfItsOpsIsFirstLookedUp() {
        KernelRegistry r = new KernelRegistry();
        List<String> ran = new ArrayList<>();
        r.registerOnFirstUse(MathOps.class, k -> {
            ran.add("math");
            k.register(MathOps.ADD, "CPU", DType.FLOAT32, NOTHING);
        });
        r.registerOnFirstUse(ArrayOps.class, k -> {
            ran.add("array");
            k.register(ArrayOps.RESHAPE, "CPU", (DType) null, NOTHING);
        });
        assertEquals(List.of(), ran);
        assertSame(NOTHING, r.lookup(MathOps.ADD, "CPU", DType.FLOAT32).kernel());
        assertEquals(List.of("math"), ran, "only the add's family ran");
        assertSame(NOTHING, r.lookup(MathOps.ADD, "CPU", DType.FLOAT32).kernel());
        assertEquals(List.of("math"), ran, "a family runs once");
    }

    @Test
    void aMissRunsEveryDeferredFamilySoNoKernelIsMissedAndErrorsAreComplete() {
        KernelRegistry r = new KernelRegistry();
        // A family that registers a kernel for another family's op: found through the miss rule.
        r.registerOnFirstUse(ArrayOps.class, k -> k.register(MathOps.SUB, "CPU", DType.INT32, NOTHING));
        r.registerOnFirstUse(MathOps.class, k -> k.register(MathOps.SUB, "CPU", DType.FLOAT32, NOTHING));
        assertTrue(r.has(MathOps.SUB, "CPU", DType.INT32));

        KernelRegistry s = new KernelRegistry();
        s.registerOnFirstUse(ArrayOps.class, k -> k.register(MathOps.MUL, "CPU", DType.INT32, NOTHING));
        OpException e = assertThrows(OpException.class, () -> s.lookup(MathOps.MUL, "CPU", DType.FLOAT64));
        assertTrue(e.getMessage().contains("registered: CPU: int32"), e.getMessage());

        KernelRegistry t = new KernelRegistry();
        t.registerOnFirstUse(ArrayOps.class, k -> k.register(MathOps.DIV, "CPU", DType.INT64, NOTHING));
        assertEquals("CPU: int64", t.describe(MathOps.DIV));
    }

    /**
     * nabla-core's CPU kernel families register kernels for their own op family only, so a first op loads one family
     * (a kernel registered in another family's file would still be found, through the miss rule, but slowly).
     */
    @Test
    void eachCoreKernelFamilyServesItsOwnOpFamily() {
        Map<Class<?>, Consumer<KernelRegistry>> families = Map.ofEntries(
                Map.entry(GraphOps.class, CpuGraphKernels::register),
                Map.entry(StateOps.class, CpuStateKernels::register),
                Map.entry(MathOps.class, CpuMathKernels::register),
                Map.entry(LinalgOps.class, CpuLinalgKernels::register),
                Map.entry(ReductionOps.class, CpuReductionKernels::register),
                Map.entry(ArrayOps.class, CpuArrayKernels::register),
                Map.entry(NnOps.class, CpuNnKernels::register),
                Map.entry(RandomOps.class, CpuRandomKernels::register),
                Map.entry(ControlFlowOps.class, CpuControlFlowKernels::register),
                Map.entry(TransferOps.class, CpuTransferKernels::register),
                Map.entry(FusedOps.class, CpuFusedKernels::register),
                Map.entry(GradOps.class, CpuGradKernels::register),
                Map.entry(NnGradOps.class, CpuNnGradKernels::register));
        List<OpDef> ops = OpRegistry.all();
        for (Map.Entry<Class<?>, Consumer<KernelRegistry>> family : families.entrySet()) {
            KernelRegistry r = new KernelRegistry();
            family.getValue().accept(r);
            int served = 0;
            for (OpDef op : ops) {
                if (r.describe(op).equals("none")) continue;
                served++;
                assertEquals(family.getKey(), op.declaringClass(), "the kernels of " + family.getKey().getSimpleName()
                        + " include one for " + op.name() + ", declared in " + op.declaringClass().getSimpleName());
            }
            assertTrue(served > 0, family.getKey().getSimpleName() + " registered nothing");
        }
    }

    /** A thread that looks up while another registers the family waits for it (it must not report "no kernel"). */
    @Test
    void concurrentFirstLookupsWaitForTheFamilyBeingRegistered() throws Exception {
        for (int round = 0; round < 20; round++) {
            KernelRegistry r = new KernelRegistry();
            java.util.concurrent.CountDownLatch registering = new java.util.concurrent.CountDownLatch(1);
            r.registerOnFirstUse(MathOps.class, k -> {
                registering.countDown();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                k.register(MathOps.ADD, "CPU", DType.FLOAT32, NOTHING);
                k.register(MathOps.MUL, "CPU", DType.FLOAT32, NOTHING);
            });
            Thread first = Thread.ofPlatform().start(() -> r.lookup(MathOps.ADD, "CPU", DType.FLOAT32));
            registering.await();
            assertSame(NOTHING, r.lookup(MathOps.MUL, "CPU", DType.FLOAT32).kernel());
            first.join();
        }
    }

    @Test
    void anOpKnowsTheClassThatDeclaredIt() {
        assertEquals(MathOps.class, MathOps.ADD.declaringClass());
        assertEquals(NnOps.class, NnOps.CONV2D.declaringClass());
    }
}
