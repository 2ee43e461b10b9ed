package org.nabla.onnx;

import org.nabla.kernels.OpLibraries;
import org.nabla.kernels.OpLibrary;

/**
 * nabla-onnx's op library: one op of its own (StringNormalizer's), the ONNX import and export rules of nabla-core's and nabla-nn's ops,
 * one class per family. It also holds the rules of every {@link OnnxOpLibrary} on the class path, registered once
 * on first use.
 */
public final class OnnxLibrary implements OnnxOpLibrary {
    @Override
    public void registerOnnxRules(OnnxOperators imports, ExportOperators exports) {
        MathRules.register(imports);
        ReductionRules.register(imports);
        ArrayRules.register(imports);
        NnRules.register(imports);
        LossRules.register(imports);
        ControlFlowRules.register(imports);
        IndexRules.register(imports);
        GeneratorRules.register(imports);
        AttentionRules.register(imports);
        Recurrent.register(imports);
        Quantization.register(imports);
        DataDependentRules.register(imports);
        ImageRules.register(imports);
        SpectralRules.register(imports);
        StateRules.register(imports);
        StringRules.register(imports);
        SequenceRules.register(imports);
        TrainingRules.register(imports);
        TextRules.register(imports);
        LinalgRules.register(imports);

        MathExports.register(exports);
        ReductionExports.register(exports);
        ArrayExports.register(exports);
        NnExports.register(exports);
        RecurrentExports.register(exports);
        AttentionExports.register(exports);
    }

    /** The one op of its own: ONNX's StringNormalizer, whose output length depends on the values. */
    @Override
    public java.util.Collection<org.nabla.ops.OpDef> ops() { return java.util.List.of(StringNormalizerOp.OP); }

    @Override
    public void registerKernels(org.nabla.kernels.KernelRegistry kernels) { new StringNormalizerOp().registerKernels(kernels); }

    static OnnxOperators imports() { return Installed.IMPORTS; }

    static ExportOperators exports() { return Installed.EXPORTS; }

    /** The rules of every ONNX op library, registered when first read (class initialization makes it once). */
    private static final class Installed {
        private static final OnnxOperators IMPORTS = new OnnxOperators();
        private static final ExportOperators EXPORTS = new ExportOperators();

        static {
            for (OpLibrary library : OpLibraries.libraries()) {
                if (library instanceof OnnxOpLibrary onnx) onnx.registerOnnxRules(IMPORTS, EXPORTS);
            }
        }

        private Installed() {}
    }
}
