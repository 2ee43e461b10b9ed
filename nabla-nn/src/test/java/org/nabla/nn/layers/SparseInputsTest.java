package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientTape;
import org.nabla.sparse.Sparse;
import org.nabla.sparse.SparseTensor;

/**
 * Sparse inputs to Dense (sparse · kernel) and Embedding (TensorFlow's embedding_lookup_sparse with its three
 * combiners), against dense computations worked by hand, eagerly and traced, with gradients.
 */
class SparseInputsTest {
    /** Rows {1, 3, 3}, {2} and none, as a sparse [3, 4] tensor of ids (column positions do not matter). */
    private static SparseTensor ids() {
        return SparseTensor.of(new long[][] {{0, 0}, {0, 1}, {0, 3}, {1, 2}}, Tensor.wrap(DType.INT64, Shape.of(4),
                new long[] {1, 3, 3, 2}), 3, 4);
    }

    private static Embedding table() {
        Embedding e = new Embedding(5, 2);
        e.build(Shape.of(-1, 1));
        float[] t = new float[10];
        for (int i = 0; i < 10; i++) t[i] = i + 1;   // row id = (2 id + 1, 2 id + 2)
        e.embeddings().assign(Tensor.wrap(DType.FLOAT32, Shape.of(5, 2), t));
        return e;
    }

    @Test
    void embeddingLookupSparseCombinesEachRowsIds() {
        Embedding e = table();
        // row 0: e1 + 2 e3 = (3, 4) + 2 (7, 8) = (17, 20); row 1: e2 = (5, 6); row 2: nothing
        assertArrayEquals(new float[] {17, 20, 5, 6, 0, 0}, e.lookupSparse(ids(), "sum").toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {17 / 3f, 20 / 3f, 5, 6, 0, 0}, e.lookupSparse(ids(), "mean").toFloatArray(),
                1e-5f);
        float r3 = (float) Math.sqrt(3);
        assertArrayEquals(new float[] {17 / r3, 20 / r3, 5, 6, 0, 0}, e.lookupSparse(ids(), "sqrtn").toFloatArray(),
                1e-5f);
        SparseTensor w = new SparseTensor(ids().indices(), Tensor.wrap(DType.FLOAT32, Shape.of(4),
                new float[] {2, 1, 3, 5}), ids().denseShape());
        // weighted: row 0 = 2 e1 + 1 e3 + 3 e3 = (6, 8) + 4 (7, 8) = (34, 40); Σw = 6; Σw² = 14
        assertArrayEquals(new float[] {34, 40, 25, 30, 0, 0}, e.lookupSparse(ids(), w, "sum").toFloatArray(), 1e-4f);
        assertArrayEquals(new float[] {34 / 6f, 40 / 6f, 5, 6, 0, 0}, e.lookupSparse(ids(), w, "mean").toFloatArray(),
                1e-4f);
        float r14 = (float) Math.sqrt(14);
        assertArrayEquals(new float[] {34 / r14, 40 / r14, 25 / 5f, 30 / 5f, 0, 0},
                e.lookupSparse(ids(), w, "sqrtn").toFloatArray(), 1e-4f);
    }

    @Test
    void embeddingLookupSparseGradientsReachTheRowsUsedEagerAndTraced() {
        Embedding e = table();
        Tensor g = Tensor.wrap(DType.FLOAT32, Shape.of(3, 2), new float[] {1, 2, 3, 4, 5, 6});
        Function<Tensor[], Tensor[]> body = in -> {
            try (GradientTape tape = new GradientTape()) {
                Tensor y = e.lookupSparse(ids(), "mean");
                return new Tensor[] {tape.gradient(Ops.sum(Ops.mul(y, g)), java.util.List.of(e.embeddings())).get(0)};
            }
        };
        // d/d e1 = g0 / 3; d/d e3 = 2 g0 / 3; d/d e2 = g1; rows 0 and 4 unused
        float[] want = {0, 0, 1 / 3f, 2 / 3f, 3, 4, 2 / 3f, 4 / 3f, 0, 0};
        assertArrayEquals(want, Ops.convertToTensor(body.apply(new Tensor[0])[0]).toFloatArray(), 1e-5f);
        assertArrayEquals(want, TracedFunction.of(body).call(new Tensor[0])[0].toFloatArray(), 1e-5f);
    }

    @Test
    void denseOnASparseInputEqualsDenseOnItsDenseForm() {
        Dense d = new Dense(3, "tanh");
        SparseTensor x = SparseTensor.of(new long[][] {{0, 1}, {1, 0}, {1, 3}}, Tensor.wrap(DType.FLOAT32, Shape.of(3),
                new float[] {2, -1, 0.5f}), 2, 4);
        Tensor sparse = d.callSparse(x);
        Tensor dense = d.call(Sparse.toDense(x));
        assertArrayEquals(dense.toFloatArray(), sparse.toFloatArray(), 1e-6f);
        Tensor g;
        Tensor gDense;
        try (GradientTape tape = new GradientTape()) {
            g = tape.gradient(Ops.sum(Ops.square(d.callSparse(x))), java.util.List.of(d.kernel())).get(0);
        }
        try (GradientTape tape = new GradientTape()) {
            gDense = tape.gradient(Ops.sum(Ops.square(d.call(Sparse.toDense(x)))), java.util.List.of(d.kernel())).get(0);
        }
        assertArrayEquals(gDense.toFloatArray(), g.toFloatArray(), 1e-5f);
        Tensor traced = TracedFunction.of(in -> new Tensor[] {d.callSparse(x)}).call(new Tensor[0])[0];
        assertArrayEquals(dense.toFloatArray(), traced.toFloatArray(), 1e-6f);
    }

    @Test
    void mistakesAreNamed() {
        Embedding e = table();
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> e.lookupSparse(ids(), "max"));
        assertTrue(c.getMessage().contains("combiner 'max'"), c.getMessage());
        Dense d = new Dense(2);
        d.build(Shape.of(-1, 3));
        SparseTensor four = SparseTensor.of(new long[][] {{0, 0}}, Tensor.wrap(DType.FLOAT32, Shape.of(1),
                new float[] {1}), 1, 4);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> d.callSparse(four));
        assertTrue(f.getMessage().contains("takes 3 features"), f.getMessage());
    }
}
