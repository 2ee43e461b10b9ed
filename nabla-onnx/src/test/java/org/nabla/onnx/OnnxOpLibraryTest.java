package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.onnx.thirdparty.SquarePlusOneLibrary;
import org.nabla.ops.Attrs;

/**
 * Another module's ONNX rules arrive through the same op library it registers its ops with
 * ({@link SquarePlusOneLibrary}, an {@link OnnxOpLibrary} on the test class path): the importer knows its ONNX
 * operator and the exporter its op, next to nabla-onnx's own rules.
 */
class OnnxOpLibraryTest {
    @Test
    void aModulesOnnxOpLibraryAddsImportAndExportRules() {
        assertTrue(OnnxOperators.supports("NablaTestSquarePlusOne") && OnnxOperators.supports("Conv"));
        assertTrue(OnnxExporter.exportableOps().containsAll(java.util.List.of("TestSquarePlusOne", "Conv2D")));

        Tensor x = Tensors.of(new double[] {-2, 0.5, 3}, 3);
        Tensor y = OnnxNodeCase.of("NablaTestSquarePlusOne", 17).input(x).run1();
        assertArrayEquals(new double[] {5, 1.25, 10}, y.toDoubleArray(), 1e-12);

        ExportCheck.check("TestSquarePlusOne", in -> ExportCheck.one(
                Ops.run(SquarePlusOneLibrary.SQUARE_PLUS_ONE, Attrs.EMPTY, in[0])), ExportCheck.random(7, 2, 3));
    }
}
