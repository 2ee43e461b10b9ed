package org.nabla.autodiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.FuncGraph;
import org.nabla.ops.Attrs;
import org.nabla.ops.ControlFlowOps;
import org.nabla.ops.OpRegistry;
import org.nabla.ops.TensorSpec;

/**
 * The per-op input table of the gradient check: for each differentiable op, one or more calls with valid inputs
 * (float64, away from kinks and outside each op's invalid domain) and attributes exercising its variants.
 */
final class GradientRecipes {
    private GradientRecipes() {}

    /** One call to check: a label, the function, its inputs, and whether to check the second derivative too. */
    record Case(String label, Function<Tensor[], Tensor[]> f, Tensor[] inputs, boolean secondOrder) {
        @Override public String toString() { return label; }
    }

    /** Differentiable ops checked elsewhere, with the reason. */
    static final Map<String, String> COVERED_ELSEWHERE = Map.ofEntries(
            Map.entry("ReadVariable", "no inputs: variable gradients are checked in GradientTapeTest"),
            Map.entry("CustomGradient", "needs a Java gradient function: checked in GradientTapeTest"),
            Map.entry("UserCube", "a test op library's op: checked in OpLibraryTest"),
            Map.entry("UserPow4", "a test op library's op: checked in OpLibraryTest"),
            complexOp("Complex"), complexOp("Real"), complexOp("Imag"), complexOp("Conj"), complexOp("ComplexAbs"),
            complexOp("Angle"), complexOp("FFT"), complexOp("IFFT"), complexOp("FFT2D"), complexOp("IFFT2D"),
            complexOp("RFFT"), complexOp("IRFFT"), complexOp("RFFT2D"), complexOp("IRFFT2D"));

    private static Map.Entry<String, String> complexOp(String op) {
        return Map.entry(op, "complex inputs or outputs: ComplexReferenceTest checks it against PyTorch and by finite "
                + "differences of the real and imaginary parts");
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(1234);

    /** Values in +-[0.2, 1.0]: away from 0 (the kink of abs, relu...) and distinct with probability 1. */
    static Tensor r(int... shape) {
        double[] v = new double[Shape.of(shape).intSize()];
        for (int i = 0; i < v.length; i++) v[i] = (RANDOM.nextBoolean() ? 1 : -1) * (0.2 + 0.8 * RANDOM.nextDouble());
        return Tensor.wrap(DType.FLOAT64, Shape.of(shape), v);
    }

    /** Values in [0.5, 2.0]. */
    static Tensor pos(int... shape) {
        double[] v = new double[Shape.of(shape).intSize()];
        for (int i = 0; i < v.length; i++) v[i] = 0.5 + 1.5 * RANDOM.nextDouble();
        return Tensor.wrap(DType.FLOAT64, Shape.of(shape), v);
    }

    static Tensor of(Object v) { return Tensors.convert(v); }

    private static final Map<String, List<Case>> CASES = new LinkedHashMap<>();

    private static void add(String op, boolean second, Attrs attrs, Tensor... inputs) {
        String label = op + (attrs.size() > 0 ? attrs.toString() : "") + "#" + CASES.getOrDefault(op, List.of()).size();
        Function<Tensor[], Tensor[]> f = x -> Ops.runMulti(OpRegistry.get(op), attrs, x);
        CASES.computeIfAbsent(op, k -> new ArrayList<>()).add(new Case(label, f, inputs, second));
    }

    private static Attrs a(Object... kv) { return Attrs.of(kv); }

    /** A row with its own function: ops holding sub-graphs, called through their front door or as raw ops. */
    private static void addFunction(String op, String what, boolean second, Function<Tensor[], Tensor[]> f,
                                    Tensor... inputs) {
        String label = op + "(" + what + ")#" + CASES.getOrDefault(op, List.of()).size();
        CASES.computeIfAbsent(op, k -> new ArrayList<>()).add(new Case(label, f, inputs, second));
    }

    private static TensorSpec spec(DType dtype, int... shape) { return TensorSpec.of(dtype, Shape.of(shape)); }

    private static Tensor longs(long[] v, int... shape) { return Tensor.wrap(DType.INT64, Shape.of(shape), v); }

    /** Rows for the sparse ops (org.nabla.sparse): an unordered 3x4 matrix with five entries, and a 2x3x4 tensor. */
    private static void sparse() {
        Tensor idx = longs(new long[] {2, 1, 0, 3, 1, 0, 0, 0, 2, 3}, 5, 2), shape = longs(new long[] {3, 4}, 2);
        Tensor idx3 = longs(new long[] {1, 2, 0, 0, 0, 3, 1, 0, 1, 0, 2, 2}, 4, 3);
        Tensor shape3 = longs(new long[] {2, 3, 4}, 3);
        add("SparseToDense", true, none(), idx, shape, r(5), r());
        add("DenseToSparse", true, none(), r(2, 3));
        add("SparseTensorDenseAdd", true, none(), idx, r(5), shape, r(3, 4));
        for (boolean adjA : new boolean[] {false, true}) {
            for (boolean adjB : new boolean[] {false, true}) {
                // second order: the values' gradient op has no gradient of its own (noted in SparseOps)
                add("SparseTensorDenseMatMul", false, a("adjoint_a", adjA, "adjoint_b", adjB), idx, r(5), shape,
                        adjB ? r(2, adjA ? 3 : 4) : r(adjA ? 3 : 4, 2));
            }
        }
        add("SparseReduceSum", true, a("axes", new int[] {1}), idx3, r(4), shape3);
        add("SparseReduceSum", true, a("axes", new int[] {0, -1}, "keep_dims", true), idx3, r(4), shape3);
        add("SparseReduceSum", true, none(), idx, r(5), shape);
        add("SparseReduceSumGrad", true, a("axes", new int[] {1}), idx3, shape3, r(2, 4));
        add("SparseReorder", true, none(), idx, r(5), shape);
        add("SparseReorderGrad", true, none(), idx, shape, r(5));
        Tensor start = longs(new long[] {1, 0}, 2), size = longs(new long[] {2, 5}, 2);
        add("SparseSlice", true, none(), idx, r(5), shape, start, size);
        add("SparseSliceGrad", true, none(), r(3), idx, shape, start, size);
        Tensor idxB = longs(new long[] {1, 1, 0, 0}, 2, 2), shapeB = longs(new long[] {2, 4}, 2);
        add("SparseConcat", true, a("concat_dim", 0), idx, idxB, r(5), r(2), shape, shapeB);
        add("SparseConcatGrad", true, none(), r(7), r(5), r(2));
        // b overlaps a at [0, 0] and [2, 3]; second order: the gradient op has no gradient of its own
        Tensor idxC = longs(new long[] {0, 0, 2, 3, 1, 1}, 3, 2);
        add("SparseAdd", false, none(), idx, r(5), shape, idxC, r(3), shape, of(0.0));
    }

    private static Attrs none() { return Attrs.EMPTY; }

    /** Rows for the ragged ops (org.nabla.ragged): rows of lengths 3, 0 and 2 (no empty row where max is taken). */
    private static void ragged() {
        Tensor splits = longs(new long[] {0, 3, 3, 5}, 4);
        add("RaggedReduceSum", true, none(), r(5), splits);
        add("RaggedReduceSum", true, none(), r(5, 2), splits);
        add("RaggedReduceMax", true, none(), r(5), longs(new long[] {0, 3, 5}, 3));
        add("RaggedBroadcastRows", true, none(), r(3, 2), splits);
        // first order only: the padding's gradient op (RaggedFromTensor) has no gradient of its own
        add("RaggedToTensor", false, none(), r(5), splits, r());
    }

    /** Rows for Cond, Case and While (ControlFlowGradients; more cases in ControlFlowGradientsTest). */
    private static void controlFlow() {
        DType f64 = DType.FLOAT64;
        // Raw Cond ops on sub-graphs with declared parameters (a, b): run eagerly, the tape records the Cond call.
        List<TensorSpec> ab = List.of(spec(f64, 2, 3), spec(f64, 3));
        FuncGraph then = FuncGraph.trace("then", ab, x -> new Tensor[] {Ops.mul(Ops.sin(x[0]), x[1]), x[1]});
        FuncGraph otherwise = FuncGraph.trace("else", ab, x -> new Tensor[] {Ops.exp(x[0]), Ops.square(x[1])});
        Attrs condAttrs = a("thenBranch", then, "elseBranch", otherwise);
        for (boolean pred : new boolean[] {true, false}) {
            addFunction("Cond", "raw op, pred " + pred, true,
                    x -> Ops.runMulti(ControlFlowOps.COND, condAttrs, x), of(pred), r(2, 3), r(3));
        }
        // The front door: a predicate computed from the input; the else branch ignores y.
        Function<Tensor[], Tensor[]> cond = x -> new Tensor[] {Ops.cond(Ops.sum(x[0]).greater(0.0),
                () -> Ops.mul(Ops.tanh(x[0]), x[1]), () -> Ops.square(x[0]))};
        addFunction("Cond", "front door, then", true, cond, pos(3), r(3));
        addFunction("Cond", "front door, else", true, cond, Ops.neg(pos(3)), r(3));
        Function<Tensor[], Tensor[]> caseOf = x -> new Tensor[] {Ops.caseOf(x[0], () -> Ops.mul(x[1], x[2]),
                () -> Ops.sin(x[1]), () -> Ops.exp(x[2]))};
        for (int index : new int[] {0, 1, 5}) {
            addFunction("Case", "index " + index, true, caseOf, of(index), r(3), r(3));
        }
        // Raw While: (i, h) -> (i + 1, tanh(h * w + h)) while i < 3, w captured; and stopped by maximumIterations.
        FuncGraph body = FuncGraph.trace("body", List.of(spec(DType.INT32), spec(f64, 2), spec(f64, 2)),
                x -> new Tensor[] {x[0].add(1), Ops.tanh(Ops.add(Ops.mul(x[1], x[2]), x[1]))});
        FuncGraph below3 = FuncGraph.trace("cond", List.of(spec(DType.INT32), spec(f64, 2), spec(f64, 2)),
                x -> new Tensor[] {x[0].less(3)});
        FuncGraph always = FuncGraph.trace("cond", List.of(spec(DType.INT32), spec(f64, 2), spec(f64, 2)),
                x -> new Tensor[] {Ops.greaterEqual(x[0], 0)});
        addFunction("While", "raw op", true, x -> Ops.runMulti(ControlFlowOps.WHILE, a("cond", below3, "body", body),
                x), of(0), r(2), r(2));
        addFunction("While", "raw op, maximumIterations 2", true, x -> Ops.runMulti(ControlFlowOps.WHILE,
                a("cond", always, "body", body, "maximumIterations", 2), x), of(0), r(2), r(2));
        // The front door: a loop over a captured matrix.
        addFunction("While", "front door", true, x -> new Tensor[] {Ops.whileLoop(v -> v[0].less(3),
                v -> new Tensor[] {v[0].add(1), Ops.sin(Ops.matmul(v[1], x[1]))},
                new Tensor[] {of(0), x[0]})[1]}, r(2, 3), r(3, 3));
    }

    static Map<String, List<Case>> all() {
        if (!CASES.isEmpty()) return CASES;
        Attrs none = Attrs.EMPTY;
        // math
        add("Add", true, none, r(2, 3), r(3));
        add("Sub", true, none, r(2, 1), r(1, 3));
        add("Mul", true, none, r(2, 3), r(2, 3));
        add("Mul", true, none, r(2, 3), r(1));
        add("Div", true, none, r(2, 3), pos(3));
        add("Mod", true, none, of(new double[] {0.5, 2.1, -0.7}), of(new double[] {1.5, 1.5, 1.5}));
        add("Pow", true, none, pos(2, 3), r(2, 3));
        add("Maximum", true, none, of(new double[] {0.1, 0.9, -0.5}), of(new double[] {0.5, 0.2, -0.1}));
        add("Minimum", true, none, of(new double[][] {{0.1, 0.9}, {-0.5, 2}}), of(new double[] {0.5, 0.2}));
        for (String op : new String[] {"Neg", "Abs", "Square", "Exp", "Sin", "Cos", "Tanh", "Erf"}) {
            add(op, true, none, r(2, 3));
        }
        for (String op : new String[] {"Log", "Log1p", "Sqrt", "Rsqrt", "Reciprocal"}) add(op, true, none, pos(2, 3));
        add("Atan", true, none, r(2, 3));
        for (String op : new String[] {"Asin", "Acos"}) { // inside (-1, 1), away from the infinite slopes at +-1
            add(op, true, none, of(new double[][] {{-0.8, -0.3, 0.05}, {0.2, 0.55, 0.9}}));
        }
        add("Clip", true, none, of(new double[] {-2, -0.5, 0.3, 1.7}), of(-1.0), of(new double[] {1, 1, 0.1, 2}));
        add("Select", true, none, of(new boolean[][] {{true, false, true}, {false, false, true}}), r(2, 3), r(3));
        add("Cast", true, a("dtype", DType.FLOAT64), r(2, 2));
        // linalg
        add("MatMul", true, none, r(2, 3), r(3, 4));
        add("MatMul", true, a("transposeA", true), r(3, 2), r(3, 4));
        add("MatMul", true, a("transposeB", true), r(2, 3), r(4, 3));
        add("MatMul", true, a("transposeA", true, "transposeB", true), r(3, 2), r(4, 3));
        add("MatMul", true, none, r(2, 2, 3), r(3, 2));
        // reductions
        add("Sum", true, a("axes", new int[] {1}), r(2, 3, 2));
        add("Sum", true, a("axes", new int[] {0, -1}, "keepDims", true), r(2, 3, 2));
        add("Mean", true, a("axes", new int[] {1}), r(2, 3));
        add("Mean", true, none, r(2, 3));
        add("Max", true, a("axes", new int[] {1}), r(2, 3));
        add("Min", true, a("axes", new int[] {0}, "keepDims", true), r(2, 3));
        add("Prod", true, a("axes", new int[] {0}), r(3, 2));
        add("Prod", true, a("axes", new int[] {1}), of(new double[][] {{0.5, 0, -2}, {0, 0.7, 0.4}}));
        // Two zeros in a group: exact first derivative; the second is exact only away from such points.
        add("Prod", false, a("axes", new int[] {1}), of(new double[][] {{0, 0.7, 0}, {1.5, -0.5, 2}}));
        add("LogSumExp", true, a("axes", new int[] {1}), r(2, 3));
        add("Cumsum", true, a("axis", 1), r(2, 3));
        add("Cumsum", true, a("axis", 0, "exclusive", true, "reverse", true), r(3, 2));
        // array
        add("Reshape", true, a("shape", new int[] {3, -1}), r(2, 3));
        add("DynamicReshape", true, a("zeroCopiesInput", true), r(2, 3, 2), of(new long[] {0, -1}));
        add("Transpose", true, a("perm", new int[] {2, 0, 1}), r(2, 3, 2));
        add("Concat", true, a("axis", 1), r(2, 3), r(2, 1));
        add("Stack", true, a("axis", -1), r(2, 3), r(2, 3));
        add("Split", true, a("axis", 1, "numSplit", 3), r(2, 6));
        add("Split", true, a("axis", 0, "sizes", new int[] {1, -1}), r(3, 2));
        add("Slice", true, a("begin", new int[] {1, 0}, "size", new int[] {2, -1}), r(3, 4));
        add("StridedSlice", true, a("begin", new int[] {0, 4}, "end", new int[] {4, 0}, "strides", new int[] {2, -2}),
                r(4, 5));
        add("StridedSlice", true, a("begin", new int[] {1, 0}, "end", new int[] {2, 0}, "strides", new int[] {1, 1},
                "shrinkAxisMask", 1, "endMask", 2, "newAxisMask", 0), r(3, 4));
        add("Gather", true, none, r(4, 3), of(new int[] {2, 0, 2}));
        add("Gather", true, a("axis", 1, "batchDims", 1), r(2, 3), of(new int[][] {{2, 2}, {0, 1}}));
        add("GatherElements", true, a("axis", 1), r(3, 3), of(new int[][] {{2, -1, 0}, {1, 1, 1}}));
        add("GatherElements", true, a("axis", -3), r(2, 2, 3), of(new long[][][] {{{1, 0, 1}, {0, 0, -1}}}));
        add("GatherNd", true, none, r(3, 4), of(new int[][] {{0, 1}, {2, 3}, {0, 1}}));
        add("CheckNumerics", true, a("message", "checked"), r(2, 3));
        add("Sort", true, none, r(2, 4));
        add("Sort", true, a("axis", 0, "descending", true), r(3, 2));
        add("TopK", true, a("k", 3), r(2, 5));
        add("Tile", true, a("multiples", new int[] {2, 1}), r(2, 3));
        add("BroadcastTo", true, a("shape", new int[] {2, 3}), r(1, 3));
        add("Squeeze", true, a("axes", new int[] {1}), r(2, 1, 3));
        add("ExpandDims", true, a("axis", 1), r(2, 3));
        add("Pad", true, a("paddings", new int[] {1, 0, 2, 1}, "constantValue", 0.5), r(2, 3));
        add("Pad", true, a("paddings", new int[] {1, 1, 2, 1}, "mode", "REFLECT"), r(3, 3));
        add("Pad", true, a("paddings", new int[] {2, 1, 0, 3}, "mode", "SYMMETRIC"), r(2, 3));
        add("Identity", true, none, r(2, 2));
        // nn
        for (String op : new String[] {"Relu", "LeakyRelu", "Elu", "Selu", "Gelu", "Sigmoid", "Softplus"}) {
            add(op, true, none, r(2, 3));
        }
        add("Relu6", true, none, of(new double[] {-1, 0.5, 3, 5.9, 7}));
        add("Gelu", true, a("approximate", true), r(2, 3));
        add("Softmax", true, none, r(2, 3));
        add("Softmax", true, a("axis", 0), r(2, 3));
        add("LogSoftmax", true, none, r(2, 3));
        // fused attention: second order is not needed (its backward op is marked not differentiable)
        add("ScaledDotProductAttention", false, none, r(2, 1, 3, 2), r(2, 1, 4, 2), r(2, 1, 4, 3));
        add("ScaledDotProductAttention", false, a("causal", true, "scale", 0.8), r(1, 2, 4, 3), r(1, 2, 4, 3),
                r(1, 2, 4, 2), Tensor.wrap(org.nabla.DType.BOOL, Shape.of(4, 4), new byte[] {1, 0, 0, 0, 1, 1, 0, 1,
                        1, 0, 1, 1, 1, 1, 1, 1}));
        add("BiasAdd", true, none, r(2, 3, 4), r(4));
        add("BiasAdd", true, a("dataFormat", "NCHW"), r(2, 3, 2, 2), r(3));
        add("Conv2D", true, a("strides", new int[] {2, 2}, "padding", "SAME"), r(1, 5, 5, 2), r(3, 3, 2, 3));
        add("Conv2D", true, a("dilations", new int[] {2, 1}, "groups", 2), r(2, 5, 4, 4), r(2, 2, 2, 4));
        add("Conv2D", true, a("dataFormat", "NCHW", "padding", "EXPLICIT", "explicitPaddings", new int[] {1, 0, 0, 2}),
                r(1, 2, 3, 3), r(2, 2, 2, 2));
        add("MaxPool2D", true, a("ksize", new int[] {2, 2}, "strides", new int[] {2, 2}), r(1, 4, 4, 2));
        add("MaxPool2D", true, a("ksize", new int[] {3, 3}, "strides", new int[] {2, 2}, "padding", "SAME",
                "dataFormat", "NCHW"), r(1, 2, 5, 5));
        add("AvgPool2D", true, a("ksize", new int[] {3, 3}, "strides", new int[] {2, 2}, "padding", "SAME"),
                r(1, 5, 5, 2));
        add("AvgPool2D", true, a("ksize", new int[] {2, 2}, "strides", new int[] {1, 1}, "dataFormat", "NCHW"),
                r(1, 2, 3, 3));
        add("MaxPool", true, a("kernel", new int[] {3}, "strides", new int[] {2}, "pads", new int[] {1, 2}),
                r(2, 2, 7));
        add("MaxPool", true, a("kernel", new int[] {2, 2}, "dilations", new int[] {2, 1}, "ceilMode", true,
                "strides", new int[] {2, 2}, "storageOrder", 1), r(1, 2, 5, 4));
        add("MaxPool", true, a("kernel", new int[] {2, 2, 2}, "padding", "SAME"), r(1, 1, 3, 2, 3));
        add("AvgPool", true, a("kernel", new int[] {3}, "strides", new int[] {2}, "pads", new int[] {1, 2},
                "countIncludePad", true), r(2, 2, 7));
        add("AvgPool", true, a("kernel", new int[] {2, 3}, "dilations", new int[] {1, 2}, "ceilMode", true,
                "strides", new int[] {2, 1}, "pads", new int[] {1, 0, 0, 1}), r(1, 2, 5, 6));
        add("AvgPool", true, a("kernel", new int[] {2, 2, 2}, "padding", "SAME_LOWER", "strides", new int[] {2, 1, 2}),
                r(1, 2, 3, 2, 3));
        add("BatchNormInference", true, none, r(2, 3), r(3), r(3), r(3), pos(3));
        add("BatchNormInference", true, a("dataFormat", "NCHW", "epsilon", 0.01), r(2, 3, 2, 2), r(3), r(3), r(3),
                pos(3));
        add("Dropout", true, a("rate", 0.5, "seed", 3L), r(3, 4));
        Tensor labels = Ops.softmax(r(2, 3));
        add("SoftmaxCrossEntropyWithLogits", true, none, r(2, 3), labels);
        add("SparseSoftmaxCrossEntropyWithLogits", true, none, r(2, 3), of(new int[] {0, 2}));
        add("MeanSquaredError", true, none, r(2, 3), r(2, 3));
        add("Fill", true, a("shape", new int[] {2, 3}), of(0.7));
        // gradient helper and backward ops
        add("SumToShapeOf", true, none, r(2, 3), r(3));
        add("BroadcastLike", true, none, r(3), r(2, 3));
        add("ReshapeLike", true, none, r(2, 3), r(3, 2));
        add("StridedSliceGrad", true, a("begin", new int[] {0, 4}, "end", new int[] {4, 0}, "strides",
                new int[] {2, -2}), r(2, 2), r(4, 5));
        add("PadGrad", true, a("paddings", new int[] {1, 1, 2, 1}, "mode", "REFLECT"), r(5, 6), r(3, 3));
        add("GatherGrad", true, none, r(3, 3), of(new int[] {2, 0, 2}), r(4, 3));
        add("GatherNdGrad", true, none, r(3), of(new int[][] {{0, 1}, {2, 3}, {0, 1}}), r(3, 4));
        add("GatherElementsGrad", true, a("axis", 0), r(2, 3), of(new int[][] {{2, 0, 2}, {-1, 1, 2}}), r(3, 3));
        add("TileGrad", true, a("multiples", new int[] {2, 1}), r(4, 3), r(2, 3));
        add("ConcatGrad", true, a("axis", 1), r(2, 4), r(2, 3), r(2, 1));
        add("ReluGrad", true, none, r(2, 3), r(2, 3));
        add("MaxPool2DGrad", true, a("ksize", new int[] {2, 2}, "strides", new int[] {1, 1}), r(1, 3, 3, 2),
                r(1, 2, 2, 2));
        add("MaxPool2DGradGrad", true, a("ksize", new int[] {3, 3}, "strides", new int[] {2, 2}, "padding", "SAME",
                "dataFormat", "NCHW"), r(1, 2, 5, 5), r(1, 2, 5, 5));
        add("Conv2DBackpropInput", true, a("strides", new int[] {2, 2}, "padding", "SAME"), r(1, 5, 5, 2),
                r(3, 3, 2, 3), r(1, 3, 3, 3));
        add("Conv2DBackpropFilter", true, a("groups", 2), r(1, 4, 4, 4), r(2, 2, 2, 2), r(1, 3, 3, 2));
        add("AvgPool2DGrad", true, a("ksize", new int[] {2, 2}, "strides", new int[] {1, 1}), r(1, 2, 2, 2),
                r(1, 3, 3, 2));
        add("AvgPoolGrad", true, a("kernel", new int[] {3, 2}, "strides", new int[] {2, 1}, "pads",
                new int[] {1, 0, 1, 1}, "ceilMode", true), r(1, 2, 3, 4), r(1, 2, 5, 4));
        add("AvgPoolGrad", true, a("kernel", new int[] {2}, "dilations", new int[] {2}, "countIncludePad", true,
                "pads", new int[] {1, 1}), r(2, 1, 5), r(2, 1, 5));
        controlFlow();
        sparse();
        ragged();
        return CASES;
    }
}
