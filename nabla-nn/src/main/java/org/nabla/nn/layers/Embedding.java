package org.nabla.nn.layers;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializer;
import org.nabla.nn.Initializers;
import org.nabla.nn.Layer;

/**
 * Maps integer ids in {@code [0, inputDim)} to rows of a trainable table {@code embeddings [inputDim, outputDim]}
 * (uniform in [-0.05, 0.05], Keras' default): input [batch, ...] of ids, output [batch, ..., outputDim]. Float ids
 * are truncated to int32 (so a model saved with float inputs still works). With {@link #maskZero} id 0 is padding:
 * the layer's output mask is {@code ids != 0}, and recurrent layers after it skip those timesteps.
 */
public final class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private boolean maskZero;
    private Initializer initializer = Initializers.randomUniform(-0.05, 0.05);
    private Variable embeddings;

    /** A table of {@code inputDim} ids (vocabulary size) by {@code outputDim} features. */
    public Embedding(int inputDim, int outputDim) {
        if (inputDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Embedding: inputDim and outputDim must be positive, got " + inputDim
                    + " and " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    /** Treats id 0 as padding: the output carries a mask {@code ids != 0} to the next layers. */
    public Embedding maskZero(boolean b) { maskZero = b; return this; }

    /** The table's initializer (default uniform in [-0.05, 0.05]); set before building. */
    public Embedding embeddingsInitializer(Initializer i) { initializer = i; return this; }

    /** The number of ids (vocabulary size). */
    public int inputDim() { return inputDim; }

    /** The features per id. */
    public int outputDim() { return outputDim; }

    /** Whether id 0 is padding (masked). */
    public boolean maskZero() { return maskZero; }

    /** The table [inputDim, outputDim] (null before building). */
    public Variable embeddings() { return embeddings; }

    @Override
    public DType inputDType() { return DType.INT32; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 1) {
            throw new IllegalArgumentException(describe() + " expects ids of shape [batch, ...], got a scalar");
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), initializer, true);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int[] d = in[0].dims();
        int[] out = java.util.Arrays.copyOf(d, d.length + 1);
        out[d.length] = outputDim;
        return Shape.of(out);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        try {
            return Ops.gather(read(embeddings), ids(inputs[0]));
        } catch (org.nabla.ops.OpException e) {   // eagerly: an id out of range; say which layer and its range
            throw new IllegalArgumentException(describe() + ": ids must be in [0, " + inputDim + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) {
        return maskZero ? Ops.notEqual(ids(inputs[0]), 0) : null;
    }

    private Tensor ids(Tensor x) {
        DType d = x.dtype();
        if (d == DType.INT32 || d == DType.INT64) return x;
        if (d.isFloating() || d == DType.UINT8 || d == DType.INT8) return Ops.cast(x, DType.INT32);
        throw new IllegalArgumentException(describe() + " expects integer ids, got " + d + " of shape " + x.shape());
    }

    /**
     * One combined embedding per row of sparse ids, as TensorFlow's {@code embedding_lookup_sparse}: {@code ids}
     * [batch, k] holds each row's ids as its values (the column positions do not matter; rows may have none, then
     * the result is zeros); {@code combiner} is "sum" ({@code Σ e_id}), "mean" ({@code Σ e_id / n}) or "sqrtn"
     * ({@code Σ e_id / sqrt(n)}). Returns [batch, outputDim], computed as a sparse [batch, inputDim] matrix times the
     * table, so gradients reach only the rows used. Builds the layer when it is not built.
     */
    public Tensor lookupSparse(org.nabla.sparse.SparseTensor ids, String combiner) {
        return lookupSparse(ids, null, combiner);
    }

    /**
     * {@link #lookupSparse(org.nabla.sparse.SparseTensor, String)} with a weight per id ({@code weights} has the ids'
     * indices): "sum" is {@code Σ w e}, "mean" {@code Σ w e / Σ w}, "sqrtn" {@code Σ w e / sqrt(Σ w²)}.
     */
    public Tensor lookupSparse(org.nabla.sparse.SparseTensor ids, org.nabla.sparse.SparseTensor weights,
                               String combiner) {
        if (!java.util.List.of("sum", "mean", "sqrtn").contains(combiner)) {
            throw new IllegalArgumentException(describe() + ".lookupSparse: combiner '" + combiner + "'; expected "
                    + "sum, mean or sqrtn");
        }
        if (ids.rank() != 2) throw new IllegalArgumentException(describe() + ".lookupSparse: ids must be a sparse "
                + "[batch, k] tensor, got rank " + ids.rank());
        if (!isBuilt()) build(Shape.of(-1, 1));
        Tensor table = read(embeddings);
        DType f = table.dtype();
        Tensor w = weights == null ? Ops.cast(Ops.onesLike(ids.values()), f) : Ops.cast(weights.values(), f);
        Tensor rows = Ops.slice(ids.indices(), new int[] {0, 0}, new int[] {-1, 1});
        Tensor columns = Ops.reshape(Ops.cast(ids(ids.values()), DType.INT64), -1, 1);
        Tensor batch = Ops.slice(ids.denseShape(), new int[] {0}, new int[] {1});
        Tensor shape = Ops.concat(0, batch, org.nabla.Tensors.of(new long[] {inputDim}, 1));
        Tensor scale = switch (combiner) {
            case "sum" -> w;
            case "mean" -> Ops.div(w, Ops.gather(rowSums(ids, w), Ops.reshape(rows, -1)));
            default -> Ops.div(w, Ops.sqrt(Ops.gather(rowSums(ids, Ops.mul(w, w)), Ops.reshape(rows, -1))));
        };
        org.nabla.sparse.SparseTensor m = new org.nabla.sparse.SparseTensor(Ops.concat(1, rows, columns), scale,
                shape);
        return org.nabla.sparse.Sparse.matmul(m, table);
    }

    /** Per row of {@code ids}, the sum of {@code values} over its entries: [batch]. */
    private static Tensor rowSums(org.nabla.sparse.SparseTensor ids, Tensor values) {
        return org.nabla.sparse.Sparse.reduceSum(new org.nabla.sparse.SparseTensor(ids.indices(), values,
                ids.denseShape()), 1);
    }
}
