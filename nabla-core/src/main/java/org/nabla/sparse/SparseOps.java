package org.nabla.sparse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpCall;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The ops on coordinate-form sparse tensors (TensorFlow's sparse ops, same names and argument order), each taking
 * a {@link SparseTensor}'s parts (int64 indices {@code [nnz, rank]}, values {@code [nnz]}, int64 dense shape
 * {@code [rank]}) as separate inputs. Their dense dimensions are data, so graph shape inference knows ranks but not
 * sizes. Gradients flow to the values and to dense operands, never to indices or shapes. An {@link OpLibrary}
 * (listed in nabla-core's {@code META-INF/services}); the front door is {@link Sparse}.
 */
public final class SparseOps implements OpLibrary {
    public static final OpDef SPARSE_TO_DENSE = OpDef.builder("SparseToDense")
            .inputs("sparse_indices", "output_shape", "sparse_values", "default_value")
            .kernelDTypeFromInput(2)
            .shape(SparseOps::toDenseShape)
            .summary("a dense tensor holding sparse_values at sparse_indices and default_value elsewhere").build();

    public static final OpDef DENSE_TO_SPARSE = OpDef.builder("DenseToSparse").inputs("input")
            .shape(SparseOps::fromDenseShape)
            .summary("the non-zero entries of a dense tensor in row-major order: (indices, values, dense_shape)")
            .build();

    public static final OpDef SPARSE_DENSE_ADD = OpDef.builder("SparseTensorDenseAdd")
            .inputs("a_indices", "a_values", "a_shape", "b")
            .kernelDTypeFromInput(1)
            .shape(SparseOps::denseAddShape)
            .summary("dense b plus sparse a (repeated indices all add)").build();

    public static final OpDef SPARSE_DENSE_MATMUL = OpDef.builder("SparseTensorDenseMatMul")
            .inputs("a_indices", "a_values", "a_shape", "b")
            .attr("adjoint_a", AttrType.BOOL, false).attr("adjoint_b", AttrType.BOOL, false)
            .kernelDTypeFromInput(1)
            .shape(SparseOps::matMulShape)
            .summary("op(a) x op(b) for a sparse rank-2 a and a dense matrix b (op: transpose when adjoint)").build();

    static final OpDef MATMUL_VALUES_GRAD = OpDef.builder("SparseTensorDenseMatMulValuesGrad")
            .inputs("a_indices", "grad", "b")
            .attr("adjoint_a", AttrType.BOOL, false).attr("adjoint_b", AttrType.BOOL, false)
            .kernelDTypeFromInput(1)
            .shape((in, a) -> Infer.one(in[1].dtype(), Shape.of(in[0].shape().dim(0))))
            .notDifferentiable()
            .internal()
            .summary("the gradient of SparseTensorDenseMatMul for a's values: grad . op(b) at each index").build();

    public static final OpDef SPARSE_REDUCE_SUM = OpDef.builder("SparseReduceSum")
            .inputs("input_indices", "input_values", "input_shape")
            .attr("axes", AttrType.INTS, new int[0]).attr("keep_dims", AttrType.BOOL, false)
            .kernelDTypeFromInput(1)
            .shape(SparseOps::reduceSumShape)
            .summary("the dense sum of a sparse tensor over axes (all axes when none are given)").build();

    static final OpDef REDUCE_SUM_GRAD = OpDef.builder("SparseReduceSumGrad")
            .inputs("input_indices", "input_shape", "grad")
            .attr("axes", AttrType.INTS, new int[0]).attr("keep_dims", AttrType.BOOL, false)
            .kernelDTypeFromInput(2)
            .shape((in, a) -> Infer.one(in[2].dtype(), Shape.of(in[0].shape().dim(0))))
            .internal()
            .summary("the gradient of SparseReduceSum for the values: grad at each entry's reduced position").build();

    public static final OpDef SPARSE_REORDER = OpDef.builder("SparseReorder")
            .inputs("input_indices", "input_values", "input_shape")
            .kernelDTypeFromInput(1)
            .shape((in, a) -> new TensorSpec[] {in[0], in[1]})
            .summary("the same sparse tensor with its entries in row-major order").build();

    static final OpDef REORDER_GRAD = OpDef.builder("SparseReorderGrad")
            .inputs("input_indices", "input_shape", "grad")
            .kernelDTypeFromInput(2)
            .shape((in, a) -> Infer.one(in[2].dtype(), Shape.of(in[0].shape().dim(0))))
            .internal()
            .summary("the gradient of SparseReorder for the values: grad put back in the input's order").build();

    public static final OpDef SPARSE_SLICE = OpDef.builder("SparseSlice")
            .inputs("indices", "values", "shape", "start", "size")
            .kernelDTypeFromInput(1)
            .shape(SparseOps::sliceShape)
            .summary("the entries in [start, start + size), moved to the origin; the size is clipped to the shape")
            .build();

    static final OpDef SLICE_GRAD = OpDef.builder("SparseSliceGrad")
            .inputs("backprop_val_grad", "input_indices", "input_shape", "input_start", "input_size")
            .kernelDTypeFromInput(0)
            .shape((in, a) -> Infer.one(in[0].dtype(), Shape.of(in[1].shape().dim(0))))
            .internal()
            .summary("the gradient of SparseSlice for the values: grad at the kept entries, zero elsewhere").build();

    public static final OpDef SPARSE_CONCAT = OpDef.builder("SparseConcat")
            .variadicInput("parts", 3)
            .attr("concat_dim", AttrType.INT)
            .shape(SparseOps::concatShape)
            .summary("N sparse tensors (parts: N indices, then N values, then N shapes) joined along concat_dim, "
                    + "entries in input order").build();

    static final OpDef CONCAT_GRAD = OpDef.builder("SparseConcatGrad")
            .inputs("grad").variadicInput("values", 1)
            .shape((in, a) -> {
                TensorSpec[] out = new TensorSpec[in.length - 1];
                for (int i = 1; i < in.length; i++) out[i - 1] = new TensorSpec(in[0].dtype(), in[i].shape());
                return out;
            })
            .internal()
            .summary("the gradient of SparseConcat for each input's values: grad split by their sizes").build();

    public static final OpDef SPARSE_ADD = OpDef.builder("SparseAdd")
            .inputs("a_indices", "a_values", "a_shape", "b_indices", "b_values", "b_shape", "thresh")
            .kernelDTypeFromInput(1)
            .shape(SparseOps::sparseAddShape)
            .summary("sparse a + sparse b of one dense shape: entries in row-major order, values at one index summed, "
                    + "sums smaller than thresh in magnitude dropped").build();

    static final OpDef SPARSE_ADD_GRAD = OpDef.builder("SparseAddGrad")
            .inputs("backprop_val_grad", "a_indices", "b_indices", "sum_indices")
            .kernelDTypeFromInput(0)
            .shape((in, a) -> new TensorSpec[] {new TensorSpec(in[0].dtype(), Shape.of(in[1].shape().dim(0))),
                    new TensorSpec(in[0].dtype(), Shape.of(in[2].shape().dim(0)))})
            .notDifferentiable()
            .internal()
            .summary("the gradient of SparseAdd for a's and b's values: the sum's gradient at each one's index")
            .build();

    private static final List<OpDef> ALL = List.of(SPARSE_ADD, SPARSE_ADD_GRAD,SPARSE_TO_DENSE, DENSE_TO_SPARSE, SPARSE_DENSE_ADD,
            SPARSE_DENSE_MATMUL, MATMUL_VALUES_GRAD, SPARSE_REDUCE_SUM, REDUCE_SUM_GRAD, SPARSE_REORDER,
            REORDER_GRAD, SPARSE_SLICE, SLICE_GRAD, SPARSE_CONCAT, CONCAT_GRAD);

    @Override
    public Collection<OpDef> ops() { return ALL; }

    // ---------------------------------------------------------------- shapes

    private static void requireIndices(String op, TensorSpec indices) {
        if (indices.dtype() != DType.INT64 || indices.shape().rank() != 2) {
            throw new OpException(op, "indices must be int64 [nnz, rank], got " + indices);
        }
    }

    private static void requireShapeVector(String op, String what, TensorSpec shape) {
        if (shape.dtype() != DType.INT64 || shape.shape().rank() != 1) {
            throw new OpException(op, what + " must be an int64 vector, got " + shape);
        }
    }

    private static void requireValues(String op, TensorSpec values) {
        if (values.shape().rank() != 1 || values.dtype() == DType.BOOL) {
            throw new OpException(op, "values must be a numeric [nnz] vector, got " + values);
        }
    }

    /** The rank of a sparse input from its indices' columns or its shape vector's length (-1: unknown). */
    private static int rankOf(TensorSpec indices, TensorSpec shape) {
        int r = indices.shape().dim(1);
        return r != Shape.UNKNOWN ? r : shape.shape().dim(0);
    }

    private static Shape unknownDims(int rank) {
        int[] d = new int[rank];
        java.util.Arrays.fill(d, Shape.UNKNOWN);
        return Shape.of(d);
    }

    private static TensorSpec[] toDenseShape(TensorSpec[] in, Attrs a) {
        String op = "SparseToDense";
        requireIndices(op, in[0]);
        requireShapeVector(op, "output_shape", in[1]);
        requireValues(op, in[2]);
        if (in[3].dtype() != in[2].dtype() || in[3].shape().rank() != 0) {
            throw new OpException(op, "default_value must be a " + in[2].dtype() + " scalar, got " + in[3]);
        }
        int rank = rankOf(in[0], in[1]);
        if (rank < 0) throw new OpException(op, "the rank of the output is unknown (indices " + in[0] + ")");
        return Infer.one(in[2].dtype(), unknownDims(rank));
    }

    private static TensorSpec[] fromDenseShape(TensorSpec[] in, Attrs a) {
        if (in[0].dtype() == DType.BOOL) throw new OpException("DenseToSparse", "input must be numeric, got " + in[0]);
        int rank = in[0].shape().rank();
        return new TensorSpec[] {new TensorSpec(DType.INT64, Shape.of(Shape.UNKNOWN, rank)),
                new TensorSpec(in[0].dtype(), Shape.of(Shape.UNKNOWN)), new TensorSpec(DType.INT64, Shape.of(rank))};
    }

    private static void requireSparse(String op, TensorSpec[] in, int first) {
        requireIndices(op, in[first]);
        requireValues(op, in[first + 1]);
        requireShapeVector(op, "the dense shape", in[first + 2]);
    }

    private static TensorSpec[] denseAddShape(TensorSpec[] in, Attrs a) {
        String op = "SparseTensorDenseAdd";
        requireSparse(op, in, 0);
        if (in[3].dtype() != in[1].dtype()) {
            throw new OpException(op, "b must have a's dtype " + in[1].dtype() + ", got " + in[3]);
        }
        int rank = rankOf(in[0], in[2]);
        if (rank >= 0 && in[3].shape().rank() != rank) {
            throw new OpException(op, "b must have a's rank " + rank + ", got " + in[3]);
        }
        return new TensorSpec[] {in[3]};
    }

    private static TensorSpec[] sparseAddShape(TensorSpec[] in, Attrs a) {
        String op = "SparseAdd";
        requireSparse(op, in, 0);
        requireSparse(op, in, 3);
        if (in[4].dtype() != in[1].dtype()) {
            throw new OpException(op, "b's values must have a's dtype " + in[1].dtype() + ", got " + in[4]);
        }
        if (in[6].shape().rank() != 0) throw new OpException(op, "thresh must be a scalar, got " + in[6]);
        int rank = rankOf(in[0], in[2]);
        return new TensorSpec[] {new TensorSpec(DType.INT64, Shape.of(Shape.UNKNOWN, rank)),
                new TensorSpec(in[1].dtype(), Shape.of(Shape.UNKNOWN)), new TensorSpec(DType.INT64, Shape.of(rank))};
    }

    private static TensorSpec[] matMulShape(TensorSpec[] in, Attrs a) {
        String op = "SparseTensorDenseMatMul";
        requireSparse(op, in, 0);
        Infer.requireFloating(op, "a_values", in[1]);
        if (in[3].dtype() != in[1].dtype() || in[3].shape().rank() != 2) {
            throw new OpException(op, "b must be a " + in[1].dtype() + " matrix, got " + in[3]);
        }
        int rank = rankOf(in[0], in[2]);
        if (rank >= 0 && rank != 2) throw new OpException(op, "a must be a sparse matrix (rank 2), got rank " + rank);
        int n = in[3].shape().dim(a.getBool("adjoint_b") ? 0 : 1);
        return Infer.one(in[1].dtype(), Shape.of(Shape.UNKNOWN, n));
    }

    /** The sorted, non-negative axes of a reduction over a rank-{@code rank} tensor (all when none are given). */
    static int[] reductionAxes(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        boolean[] seen = new boolean[rank];
        for (int ax : axes) {
            int n = Shape.normalizeAxis(ax, rank, op);
            if (seen[n]) throw new OpException(op, "axis " + ax + " is given twice in " + java.util.Arrays.toString(axes));
            seen[n] = true;
        }
        int count = 0;
        for (boolean s : seen) if (s) count++;
        int[] out = new int[count];
        for (int i = 0, j = 0; i < rank; i++) if (seen[i]) out[j++] = i;
        return out;
    }

    private static TensorSpec[] reduceSumShape(TensorSpec[] in, Attrs a) {
        String op = "SparseReduceSum";
        requireSparse(op, in, 0);
        int rank = rankOf(in[0], in[2]);
        if (rank < 0) throw new OpException(op, "the rank of the input is unknown (indices " + in[0] + ")");
        int[] axes = reductionAxes(op, a.getInts("axes"), rank);
        int outRank = a.getBool("keep_dims") ? rank : rank - axes.length;
        return Infer.one(in[1].dtype(), unknownDims(outRank));
    }

    private static TensorSpec[] sliceShape(TensorSpec[] in, Attrs a) {
        String op = "SparseSlice";
        requireSparse(op, in, 0);
        requireShapeVector(op, "start", in[3]);
        requireShapeVector(op, "size", in[4]);
        int rank = rankOf(in[0], in[2]);
        return new TensorSpec[] {new TensorSpec(DType.INT64, Shape.of(Shape.UNKNOWN, rank)),
                new TensorSpec(in[1].dtype(), Shape.of(Shape.UNKNOWN)), new TensorSpec(DType.INT64, Shape.of(rank))};
    }

    private static TensorSpec[] concatShape(TensorSpec[] in, Attrs a) {
        String op = "SparseConcat";
        if (in.length % 3 != 0) {
            throw new OpException(op, "parts must be N indices, N values and N shapes, got " + in.length + " tensors");
        }
        int n = in.length / 3;
        int rank = -1, nnz = 0;
        DType dtype = in[n].dtype();
        for (int i = 0; i < n; i++) {
            requireIndices(op, in[i]);
            requireValues(op, in[n + i]);
            requireShapeVector(op, "shape " + i, in[2 * n + i]);
            if (in[n + i].dtype() != dtype) {
                throw new OpException(op, "values " + i + " are " + in[n + i].dtype() + ", values 0 " + dtype);
            }
            int r = rankOf(in[i], in[2 * n + i]);
            if (r >= 0 && rank >= 0 && r != rank) throw new OpException(op, "input " + i + " has rank " + r + ", not " + rank);
            if (r >= 0) rank = r;
            int k = in[n + i].shape().dim(0);
            nnz = nnz < 0 || k < 0 ? Shape.UNKNOWN : nnz + k;
        }
        if (rank >= 0) Shape.normalizeAxis(a.getInt("concat_dim"), rank, op);
        return new TensorSpec[] {new TensorSpec(DType.INT64, Shape.of(nnz, rank)),
                new TensorSpec(dtype, Shape.of(nnz)), new TensorSpec(DType.INT64, Shape.of(rank))};
    }

    // ---------------------------------------------------------------- gradients

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(SPARSE_TO_DENSE, (c, g) -> {
            Tensor values = Ops.gatherNd(g[0], c.input(0));
            Tensor dflt = c.input(3).dtype().isFloating() ? Ops.sub(Ops.sum(g[0]), Ops.sum(values)) : null;
            return new Tensor[] {null, null, values, dflt};
        });
        gradients.register(DENSE_TO_SPARSE, (c, g) -> new Tensor[] {g[1] == null ? null : Ops.run(SPARSE_TO_DENSE,
                Attrs.EMPTY, c.output(0), c.output(2), g[1], zero(g[1].dtype()))});
        gradients.register(SPARSE_DENSE_ADD, (c, g) -> new Tensor[] {
                null, Ops.gatherNd(g[0], c.input(0)), null, g[0]});
        gradients.register(SPARSE_DENSE_MATMUL, SparseOps::matMulGradient);
        gradients.register(SPARSE_ADD, (c, g) -> {
            if (g[1] == null) return new Tensor[7];
            Tensor[] ab = Ops.runMulti(SPARSE_ADD_GRAD, Attrs.EMPTY, g[1], c.input(0), c.input(3), c.output(0));
            return new Tensor[] {null, ab[0], null, null, ab[1], null, null};
        });
        gradients.register(SPARSE_REDUCE_SUM, (c, g) -> new Tensor[] {
                null, Ops.run(REDUCE_SUM_GRAD, c.attrs(), c.input(0), c.input(2), g[0]), null});
        gradients.register(REDUCE_SUM_GRAD, (c, g) -> new Tensor[] {
                null, null, Ops.run(SPARSE_REDUCE_SUM, c.attrs(), c.input(0), g[0], c.input(1))});
        gradients.register(SPARSE_REORDER, (c, g) -> new Tensor[] {
                null, g[1] == null ? null : Ops.run(REORDER_GRAD, Attrs.EMPTY, c.input(0), c.input(2), g[1]), null});
        gradients.register(REORDER_GRAD, (c, g) -> new Tensor[] {
                null, null, Ops.runMulti(SPARSE_REORDER, Attrs.EMPTY, c.input(0), g[0], c.input(1))[1]});
        gradients.register(SPARSE_SLICE, (c, g) -> new Tensor[] {null, g[1] == null ? null
                : Ops.run(SLICE_GRAD, Attrs.EMPTY, g[1], c.input(0), c.input(2), c.input(3), c.input(4)),
                null, null, null});
        gradients.register(SLICE_GRAD, (c, g) -> new Tensor[] {Ops.runMulti(SPARSE_SLICE, Attrs.EMPTY, c.input(1),
                g[0], c.input(2), c.input(3), c.input(4))[1], null, null, null, null});
        gradients.register(SPARSE_CONCAT, (c, g) -> {
            int n = c.inputs().length / 3;
            Tensor[] out = new Tensor[3 * n];
            if (g[1] == null) return out;
            Tensor[] args = new Tensor[n + 1];
            args[0] = g[1];
            System.arraycopy(c.inputs(), n, args, 1, n);
            Tensor[] parts = Ops.runMulti(CONCAT_GRAD, Attrs.EMPTY, args);
            System.arraycopy(parts, 0, out, n, n);
            return out;
        });
        gradients.register(CONCAT_GRAD, (c, g) -> {
            List<Tensor> parts = new ArrayList<>();
            for (int i = 0; i < g.length; i++) {
                parts.add(g[i] != null ? g[i] : Ops.zerosLike(c.output(i)));
            }
            Tensor[] out = new Tensor[c.inputs().length];
            out[0] = Ops.concat(parts, 0);
            return out;
        });
    }

    /** a's values: grad . op(b) at each index; b: op(a)^T grad, transposed back when b was adjoint. */
    private static Tensor[] matMulGradient(OpCall c, Tensor[] g) {
        boolean adjA = c.attrs().getBool("adjoint_a"), adjB = c.attrs().getBool("adjoint_b");
        Tensor values = Ops.run(MATMUL_VALUES_GRAD, c.attrs(), c.input(0), g[0], c.input(3));
        Tensor b = Ops.run(SPARSE_DENSE_MATMUL, Attrs.of("adjoint_a", !adjA, "adjoint_b", false),
                c.input(0), c.input(1), c.input(2), g[0]);
        return new Tensor[] {null, values, null, adjB ? Ops.transpose(b, 1, 0) : b};
    }

    static Tensor zero(DType dtype) { return Ops.cast(Tensors.scalar(0L), dtype); }

    // ---------------------------------------------------------------- kernels

    /** The kernels register when a sparse op first runs: programs that never use one load none of them. */
    @Override
    public void registerKernels(KernelRegistry r) { r.registerOnFirstUse(SparseOps.class, SparseOps::registerSparseKernels); }

    private static void registerSparseKernels(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        DType any = null;   // data movement and adds: one kernel per op, switching on the values' storage
        // the ones that compute with values (sums, defaults, non-zero tests) see 16-bit floats widened to float32
        r.registerAnyWidened(SPARSE_TO_DENSE, cpu, SparseKernels::toDense);
        r.registerAnyWidened(SPARSE_ADD, cpu, SparseKernels::sparseAdd);
        r.registerAnyWidened(SPARSE_ADD_GRAD, cpu, SparseKernels::sparseAddGrad);
        r.registerAnyWidened(DENSE_TO_SPARSE, cpu, SparseKernels::fromDense);
        r.registerAnyWidened(SPARSE_DENSE_ADD, cpu, SparseKernels::denseAdd);
        r.registerAnyWidened(SPARSE_REDUCE_SUM, cpu, SparseKernels::reduceSum);
        r.register(REDUCE_SUM_GRAD, cpu, any, SparseKernels::reduceSumGrad);
        r.register(SPARSE_REORDER, cpu, any, SparseKernels::reorder);
        r.register(REORDER_GRAD, cpu, any, SparseKernels::reorderGrad);
        r.register(SPARSE_SLICE, cpu, any, SparseKernels::slice);
        r.register(SLICE_GRAD, cpu, any, SparseKernels::sliceGrad);
        r.register(SPARSE_CONCAT, cpu, any, SparseKernels::concat);
        r.register(CONCAT_GRAD, cpu, any, SparseKernels::concatGrad);
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(SPARSE_DENSE_MATMUL, cpu, d, SparseKernels::matMul);
            r.register(MATMUL_VALUES_GRAD, cpu, d, SparseKernels::matMulValuesGrad);
        }
    }
}
