package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;

/** Shape functions of the reduction and array ops with unknown (-1) dimensions, as graph building will call them. */
class ArrayReductionShapeInferenceTest {
    private static final int U = Shape.UNKNOWN;

    private static Shape infer(OpDef op, Attrs attrs, int output, TensorSpec... in) {
        return op.infer(in, op.resolveAttrs(attrs))[output].shape();
    }

    private static TensorSpec f32(int... dims) { return TensorSpec.of(DType.FLOAT32, Shape.of(dims)); }

    private static TensorSpec i32(int... dims) { return TensorSpec.of(DType.INT32, Shape.of(dims)); }

    @Test
    void reductionsKeepUnknownDims() {
        assertEquals(Shape.of(U), infer(ReductionOps.SUM, Attrs.of("axes", new int[] {1}), 0, f32(U, 3)));
        assertEquals(Shape.of(U, 1), infer(ReductionOps.MEAN, Attrs.of("axes", new int[] {-1}, "keepDims", true), 0,
                f32(U, U)));
        assertEquals(Shape.SCALAR, infer(ReductionOps.MAX, Attrs.EMPTY, 0, f32(U, U)));
        assertEquals(Shape.of(U), infer(ReductionOps.ARG_MAX, Attrs.of("axis", 0), 0, f32(U, U)));
        assertEquals(Shape.of(U, 4), infer(ReductionOps.CUMSUM, Attrs.of("axis", 1), 0, f32(U, 4)));
    }

    @Test
    void arrayOpsKeepUnknownDims() {
        assertEquals(Shape.of(U, 5), infer(ArrayOps.CONCAT, Attrs.of("axis", 1), 0, f32(U, 2), f32(U, 3)));
        assertEquals(Shape.of(U, 3), infer(ArrayOps.CONCAT, Attrs.of("axis", 0), 0, f32(2, 3), f32(U, 3)));
        assertEquals(Shape.of(2, 4, 3), infer(ArrayOps.STACK, Attrs.of("axis", 0), 0, f32(U, 3), f32(4, 3)));
        assertEquals(Shape.of(U, 2), infer(ArrayOps.SPLIT, Attrs.of("axis", 1, "numSplit", 2), 1, f32(U, 4)));
        assertEquals(Shape.of(U, 2), infer(ArrayOps.SLICE, Attrs.of("begin", new int[] {0, 1}, "size",
                new int[] {-1, 2}), 0, f32(U, 4)));
        assertEquals(Shape.of(U, 2), infer(ArrayOps.STRIDED_SLICE, Attrs.of("begin", new int[] {0, 0}, "end",
                new int[] {0, 4}, "strides", new int[] {1, 2}, "beginMask", 1, "endMask", 1), 0, f32(U, 4)));
        assertEquals(Shape.of(U, 7, 3), infer(ArrayOps.GATHER, Attrs.of("axis", 1), 0, f32(U, 5, 3), i32(7)));
        assertEquals(Shape.of(U, 3), infer(ArrayOps.GATHER_ND, Attrs.EMPTY, 0, f32(4, 5, 3), i32(U, 2)));
        assertEquals(Shape.of(U, 10), infer(ArrayOps.ONE_HOT, Attrs.of("depth", 10), 0, i32(U)));
        assertEquals(Shape.of(U, 3), infer(ArrayOps.TOP_K, Attrs.of("k", 3), 1, f32(U, 9)));
        assertEquals(Shape.of(U, 6), infer(ArrayOps.TILE, Attrs.of("multiples", new int[] {2, 3}), 0, f32(U, 2)));
        assertEquals(Shape.of(U, 2), infer(ArrayOps.SQUEEZE, Attrs.EMPTY, 0, f32(U, 1, 2)));
        assertEquals(Shape.of(U, 1), infer(ArrayOps.EXPAND_DIMS, Attrs.of("axis", -1), 0, f32(U)));
        assertEquals(Shape.of(U, 5), infer(ArrayOps.PAD, Attrs.of("paddings", new int[] {1, 1, 2, 1}), 0, f32(U, 2)));
        assertEquals(Shape.of(3, 4), infer(ArrayOps.BROADCAST_TO, Attrs.of("shape", new int[] {3, 4}), 0, f32(U)));
        assertEquals(Shape.of(U, 9), infer(ArrayOps.SORT, Attrs.EMPTY, 0, f32(U, 9)));
    }
}
