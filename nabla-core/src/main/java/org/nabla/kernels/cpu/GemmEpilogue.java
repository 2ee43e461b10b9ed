package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What a GEMM applies to each finished C tile while it is still in L1: a bias per column of C and optionally a ReLU,
 * {@code C = max(C + bias[j], 0)} (ONNX Runtime's and oneDNN's post-ops). Each element gets exactly the float32
 * arithmetic of a separate BiasAdd / BiasRelu pass over C (one add, then {@code Math.max} with 0), so a fused
 * product gives the same bits as the unfused ops.
 *
 * @param bias the bias of column j of C is {@code bias[biasOff + j]}
 */
record GemmEpilogue(float[] bias, int biasOff, boolean relu) {
    private static final VectorSpecies<Float> S = GemmFloat.S;

    GemmEpilogue {
        java.util.Objects.requireNonNull(bias, "bias");
    }

    /** Applies the epilogue to rows [0, rows) x columns [col, col + cols) of C, row i at c[ci + i * ldc]. */
    void apply(float[] c, int ci, int ldc, int rows, int col, int cols) {
        int v = S.length(), bound = S.loopBound(cols), bi = biasOff + col;
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> tail = S.indexInRange(bound, cols);
        for (int r = 0; r < rows; r++) {
            int row = ci + r * ldc;
            int j = 0;
            for (; j < bound; j += v) {
                FloatVector y = FloatVector.fromArray(S, c, row + j).add(FloatVector.fromArray(S, bias, bi + j));
                if (relu) y = y.max(zero);
                y.intoArray(c, row + j);
            }
            if (j < cols) { // the last, partial vector (a 10-class layer is all tail)
                FloatVector y = FloatVector.fromArray(S, c, row + j, tail).add(FloatVector.fromArray(S, bias, bi + j,
                        tail));
                if (relu) y = y.max(zero);
                y.intoArray(c, row + j, tail);
            }
        }
    }
}
