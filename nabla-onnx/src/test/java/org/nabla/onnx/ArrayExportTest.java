package org.nabla.onnx;

import static org.nabla.onnx.ExportCheck.bools;
import static org.nabla.onnx.ExportCheck.check;
import static org.nabla.onnx.ExportCheck.floats;
import static org.nabla.onnx.ExportCheck.ints;
import static org.nabla.onnx.ExportCheck.one;
import static org.nabla.onnx.ExportCheck.random;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.ops.TensorSpec;

/** Shape and layout ops and reductions exported and run in ONNX Runtime. */
class ArrayExportTest {
    @Test
    void reshapeWithAKnownOrInferredTarget() {
        Tensor x = random(1, 2, 3, 4);
        check("reshape", in -> new Tensor[] {Ops.reshape(in[0], 6, 4), Ops.reshape(in[0], -1), Ops.reshape(in[0],
                4, -1, 2)}, x);
        // unknown batch: the target keeps its -1
        check("reshape batch", in -> one(Ops.reshape(in[0], -1, 12)), List.of(TensorSpec.of(DType.FLOAT32,
                Shape.of(-1, 3, 4))), x);
        check("reshape empty", in -> one(Ops.reshape(in[0], 0, 5)), Tensor.wrap(DType.FLOAT32, Shape.of(5, 0),
                new float[0]));
    }

    @Test
    void runTimeShapesAndReshapes() {
        Tensor x = random(1, 2, 3, 4);
        // flatten with an unknown batch through Shape -> Slice -> Concat -> DynamicReshape, in int32 and int64
        check("dynamic reshape", in -> {
            Tensor batch = Ops.slice(Ops.shape(in[0], DType.INT64), new int[] {0}, new int[] {1});
            Tensor target = Ops.concat(0, batch, Tensor.wrap(DType.INT64, Shape.of(1), new long[] {-1}));
            Tensor copyFirst = Tensor.wrap(DType.INT32, Shape.of(2), new int[] {0, -1});
            return new Tensor[] {Ops.reshape(in[0], target), Ops.dynamicReshape(in[0], copyFirst, true),
                    Ops.shape(in[0])};
        }, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3, 4))), x);
    }

    @Test
    void transposeConcatStackSplit() {
        Tensor x = random(2, 2, 3, 4), y = random(3, 2, 1, 4);
        check("transpose", in -> one(Ops.transpose(in[0], 2, 0, 1)), x);
        check("concat", in -> one(Ops.concat(-2, in[0], in[1], in[0])), x, y);
        check("stack", in -> new Tensor[] {Ops.stack(0, in[0], in[0]), Ops.stack(-1, in[0], in[0])}, x);
        check("split", in -> Ops.split(in[0], new int[] {1, -1}, 1), x);
        check("split equal", in -> Ops.split(in[0], 2, -1), x);
    }

    @Test
    void slicesGathersAndPadding() {
        Tensor x = random(4, 3, 4);
        check("slice", in -> new Tensor[] {Ops.slice(in[0], new int[] {1, 1}, new int[] {2, -1}),
                Ops.slice(in[0], new int[] {0, 2}, new int[] {-1, 1})}, x);
        check("gather", in -> new Tensor[] {Ops.gather(in[0], in[1]), Ops.gather(in[0], in[1], 1)}, x,
                ints(new int[] {2, 2}, 2, 0, 1, 1));
        check("tile", in -> one(Ops.tile(in[0], 2, 3)), x);
        check("broadcastTo", in -> one(Ops.broadcastTo(in[0], 2, 3, 4)), x);
        check("squeeze", in -> new Tensor[] {Ops.squeeze(in[0]), Ops.squeeze(in[0], -1)}, random(5, 3, 1, 4, 1));
        check("expandDims", in -> new Tensor[] {Ops.expandDims(in[0], 0), Ops.expandDims(in[0], -1)}, x);
        check("pad", in -> new Tensor[] {Ops.pad(in[0], new int[][] {{1, 0}, {2, 1}}),
                Ops.pad(in[0], new int[][] {{0, 2}, {1, 1}}, "CONSTANT", 1.5),
                Ops.pad(in[0], new int[][] {{1, 1}, {2, 0}}, "REFLECT", 0)}, x);
        check("zerosLike onesLike", in -> new Tensor[] {Ops.zerosLike(in[0]), Ops.onesLike(in[0]),
                Ops.onesLike(in[1])}, x, ints(new int[] {2}, 4, 5));
    }

    @Test
    void stridedSlicesWithEveryMask() {
        Tensor x = random(30, 4, 5, 6);
        int[][][] cases = { // begin, end, strides, {beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask}
            {{1, 0, 2}, {3, 5, 6}, {1, 2, 2}, {0, 0, 0, 0, 0}},
            {{-1, 4, 0}, {0, 0, 6}, {-1, -2, 3}, {0, 0, 0, 0, 0}},
            {{0, 0, 0}, {0, 0, 0}, {1, -1, 1}, {7, 7, 0, 0, 0}},
            {{2, 0}, {3, 0}, {1, 1}, {0, 2, 0, 0, 1}},            // x[2, :]: shrink the first axis
            {{0, -1}, {0, 0}, {1, 1}, {1, 0, 0, 0, 2}},           // x[:, -1]: shrink with -1
            {{0, 1}, {0, 3}, {1, 1}, {0, 0, 1, 0, 0}},            // x[..., 1:3]
            {{0, 0, 1}, {0, 0, 2}, {1, 1, 1}, {1, 1, 0, 2, 4}},   // x[:, newaxis, 1]
            {{0, 0, 0}, {10, -10, 10}, {1, -1, 4}, {0, 0, 0, 0, 0}}, // out-of-range ends clamp
        };
        for (int[][] c : cases) {
            org.nabla.ops.Attrs a = org.nabla.ops.Attrs.of("begin", c[0], "end", c[1], "strides", c[2], "beginMask",
                    c[3][0], "endMask", c[3][1], "ellipsisMask", c[3][2], "newAxisMask", c[3][3], "shrinkAxisMask",
                    c[3][4]);
            check("stridedSlice " + java.util.Arrays.deepToString(c), in -> one(Ops.run(
                    org.nabla.ops.ArrayOps.STRIDED_SLICE, a, in[0])), x);
        }
        // an unknown batch: ONNX's Slice resolves the ends at run time as Nabla does
        check("stridedSlice batch", in -> one(Ops.run(org.nabla.ops.ArrayOps.STRIDED_SLICE, org.nabla.ops.Attrs.of(
                "begin", new int[] {1, 0}, "end", new int[] {-1, 2}, "strides", new int[] {2, 1}), in[0])),
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 5, 6))), x);
    }

    @Test
    void sortsTopKGatherNdFill() {
        Tensor x = floats(new int[] {2, 5}, 3, 1, 2, 1, 5, -1, 4, 4, 0, 4);
        check("sort", in -> new Tensor[] {Ops.sort(in[0]), Ops.sort(in[0], 0, true), Ops.argsort(in[0]),
                Ops.argsort(in[0], -1, true), Ops.argsort(in[0], 0, false)}, x);
        check("topK", in -> Ops.topK(in[0], 3), x);
        check("gatherNd", in -> new Tensor[] {Ops.gatherNd(in[0], in[1]), Ops.gatherNd(in[0], in[2])}, x,
                ints(new int[] {3, 2}, 1, 4, 0, 0, 1, 2), ints(new int[] {2, 1}, 1, 0));
        check("fill", in -> new Tensor[] {Ops.fill(in[0], 2, 3)}, floats(new int[] {}, 2.5f));
    }

    @Test
    void opsWithoutARuleOnConstantsAreComputedAtExport() {
        Tensor x = random(31, 3, 3);
        org.nabla.onnx.proto.ModelProto m = check("folded", in -> new Tensor[] {Ops.add(in[0], Ops.cast(
                Ops.range(3), DType.FLOAT32)), Ops.matmul(in[0], Ops.eye(3)), Ops.mul(in[0], Ops.oneHot(
                Ops.constant(new int[] {2, 0, 1}), 3)), Ops.log1p(Ops.constant(new float[] {1e-8f, 1}))}, x);
        List<String> ops = m.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
        org.junit.jupiter.api.Assertions.assertEquals(List.of("Cast", "Add", "MatMul", "Mul", "Identity"), ops);
        // a random op is never computed at export: its values would be frozen
        org.nabla.graph.FuncGraph f = org.nabla.graph.FuncGraph.trace("random", List.of(x.spec()),
                in -> one(Ops.add(in[0], Ops.randomUniform(new int[] {3, 3}, DType.FLOAT32, 0, 1, 5))));
        UnsupportedOnnxException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOnnxException.class,
                () -> OnnxExporter.export(f, List.of("x"), List.of("y"), java.util.Map.of()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("RandomUniform (node 'RandomUniform')"),
                e.getMessage());
    }

    @Test
    void reductionsOverAxes() {
        Tensor x = random(6, 2, 3, 4);
        for (int[] axes : new int[][] {{}, {1}, {-1}, {0, 2}}) {
            for (boolean keep : new boolean[] {false, true}) {
                check("reductions " + java.util.Arrays.toString(axes) + " " + keep, in -> new Tensor[] {
                        Ops.sum(in[0], keep, axes), Ops.mean(in[0], keep, axes), Ops.max(in[0], keep, axes),
                        Ops.min(in[0], keep, axes), Ops.prod(in[0], keep, axes), Ops.logSumExp(in[0], keep, axes)},
                        x);
            }
        }
        check("int sum", in -> one(Ops.sum(in[0], 0)), ints(new int[] {2, 2}, 1, 2, 3, 4));
    }

    @Test
    void booleanReductionsIncludingEmptyAxes() {
        Tensor b = bools(new int[] {2, 3}, true, false, true, true, true, true);
        check("any all", in -> new Tensor[] {Ops.any(in[0], 1), Ops.all(in[0], 1), Ops.any(in[0]), Ops.all(in[0]),
                Ops.all(in[0], true, 0)}, b);
        Tensor empty = Tensor.wrap(DType.BOOL, Shape.of(2, 0), new byte[0]);
        check("empty any all", in -> new Tensor[] {Ops.any(in[0], 1), Ops.all(in[0], 1)}, empty);
    }

    @Test
    void argReductionsAndCumsum() {
        Tensor x = floats(new int[] {2, 4}, 1, 5, 5, 2, -1, -3, 0, -3);
        check("argmax argmin", in -> new Tensor[] {Ops.argmax(in[0], 1), Ops.argmin(in[0], -1),
                Ops.argmax(in[0], 0, DType.INT32)}, x);
        check("cumsum", in -> new Tensor[] {Ops.cumsum(in[0], 1), Ops.cumsum(in[0], 1, true, false),
                Ops.cumsum(in[0], 0, false, true), Ops.cumsum(in[0], -1, true, true)}, x);
    }
}
