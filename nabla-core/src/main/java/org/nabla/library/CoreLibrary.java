package org.nabla.library;

import java.util.Collection;

import org.nabla.autodiff.ArrayGradients;
import org.nabla.autodiff.AttentionGradients;
import org.nabla.autodiff.ComplexGradients;
import org.nabla.autodiff.ControlFlowGradients;
import org.nabla.autodiff.GradOpGradients;
import org.nabla.autodiff.LinalgGradients;
import org.nabla.autodiff.MathGradients;
import org.nabla.autodiff.NnGradients;
import org.nabla.autodiff.ReductionGradients;
import org.nabla.autodiff.StateGradients;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.cpu.CpuArrayKernels;
import org.nabla.kernels.cpu.CpuAttentionKernels;
import org.nabla.kernels.cpu.CpuComplexKernels;
import org.nabla.kernels.cpu.CpuControlFlowKernels;
import org.nabla.kernels.cpu.CpuFftKernels;
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
import org.nabla.ops.AttentionOps;
import org.nabla.ops.ComplexOps;
import org.nabla.ops.ControlFlowOps;
import org.nabla.ops.FftOps;
import org.nabla.ops.FusedOps;
import org.nabla.ops.GradOps;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.GraphOps;
import org.nabla.ops.LinalgOps;
import org.nabla.ops.MathOps;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.RandomOps;
import org.nabla.ops.ReductionOps;
import org.nabla.ops.StateOps;
import org.nabla.ops.TransferOps;

/**
 * nabla-core's op library: every core op family with its gradient rules and CPU kernels, one line per family
 * ({@code XxxOps}, {@code XxxGradients}, {@code CpuXxxKernels}). Listed in
 * {@code META-INF/services/org.nabla.kernels.OpLibrary} like any module's library.
 */
public final class CoreLibrary implements OpLibrary {
    @Override
    public Collection<OpDef> ops() {
        return OpLibrary.declaredIn(GraphOps.class, StateOps.class, MathOps.class, LinalgOps.class,
                ReductionOps.class, ArrayOps.class, NnOps.class, RandomOps.class, ControlFlowOps.class,
                TransferOps.class, FusedOps.class, GradOps.class, NnGradOps.class, ComplexOps.class, FftOps.class,
                AttentionOps.class);
    }

    @Override
    public void registerGradients(GradientRegistry r) {
        MathGradients.register(r);
        LinalgGradients.register(r);
        ReductionGradients.register(r);
        ArrayGradients.register(r);
        NnGradients.register(r);
        AttentionGradients.register(r);
        StateGradients.register(r);
        GradOpGradients.register(r);
        ControlFlowGradients.register(r);
        ComplexGradients.register(r);
    }

    /**
     * Each family's CPU kernels register when an op of that family first runs (see
     * {@link KernelRegistry#registerOnFirstUse}): a first {@code add} then loads the math kernels only.
     */
    @Override
    public void registerKernels(KernelRegistry r) {
        r.registerOnFirstUse(GraphOps.class, CpuGraphKernels::register);
        r.registerOnFirstUse(StateOps.class, CpuStateKernels::register);
        r.registerOnFirstUse(MathOps.class, CpuMathKernels::register);
        r.registerOnFirstUse(MathOps.class, CpuComplexKernels::registerMath);
        r.registerOnFirstUse(LinalgOps.class, CpuComplexKernels::registerLinalg);
        r.registerOnFirstUse(ReductionOps.class, CpuComplexKernels::registerReductions);
        r.registerOnFirstUse(ComplexOps.class, CpuComplexKernels::register);
        r.registerOnFirstUse(FftOps.class, CpuFftKernels::register);
        r.registerOnFirstUse(LinalgOps.class, CpuLinalgKernels::register);
        r.registerOnFirstUse(ReductionOps.class, CpuReductionKernels::register);
        r.registerOnFirstUse(ArrayOps.class, CpuArrayKernels::register);
        r.registerOnFirstUse(NnOps.class, CpuNnKernels::register);
        r.registerOnFirstUse(RandomOps.class, CpuRandomKernels::register);
        r.registerOnFirstUse(ControlFlowOps.class, CpuControlFlowKernels::register);
        r.registerOnFirstUse(TransferOps.class, CpuTransferKernels::register);
        r.registerOnFirstUse(FusedOps.class, CpuFusedKernels::register);
        r.registerOnFirstUse(GradOps.class, CpuGradKernels::register);
        r.registerOnFirstUse(NnGradOps.class, CpuNnGradKernels::register);
        r.registerOnFirstUse(AttentionOps.class, CpuAttentionKernels::register);
    }
}
