package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nabla.autodiff.GradientTape;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.runtime.Session;

class TensorScopeTest {
    private static final Tensor A = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    private static final Tensor B = Tensors.of(new float[] {10, 20, 30, 40, 50, 60}, 2, 3);

    @AfterEach
    void emptyPool() { TensorScope.clearPool(); }

    @Test
    void releasesWhatItDidNotKeepAndReusesTheBuffers() {
        Tensor dropped;
        Tensor kept;
        Object droppedBuffer;
        try (TensorScope scope = TensorScope.open()) {
            dropped = Ops.add(A, B);
            droppedBuffer = dropped.data();
            kept = scope.keep(Ops.mul(A, B));
        }
        assertTrue(dropped.isReleased());
        IllegalStateException e = assertThrows(IllegalStateException.class, dropped::toFloatArray);
        assertTrue(e.getMessage().contains("released") && e.getMessage().contains("scope.keep"), e.getMessage());
        assertFalse(kept.isReleased());
        assertArrayEquals(new float[] {10, 40, 90, 160, 250, 360}, kept.toFloatArray());
        try (TensorScope scope = TensorScope.open()) {
            Tensor again = Ops.sub(B, A);
            assertSame(droppedBuffer, again.data(), "the released buffer is reused");
            assertArrayEquals(new float[] {9, 18, 27, 36, 45, 54}, again.toFloatArray());
        }
        // inputs made outside any scope are never touched
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, A.toFloatArray());
    }

    @Test
    void recycledBuffersAreFullyOverwrittenByEveryKernelThatTakesThem() {
        float[][] x = new float[4][5];
        float[][] y = new float[5][4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) { x[i][j] = i - j; y[j][i] = i * j + 1; }
        Tensor mx = Tensors.of(x), my = Tensors.of(y);
        float[] expected = Ops.matmul(mx, my).toFloatArray();
        float[] expectedSum = Ops.add(mx, 1f).toFloatArray();
        float[] expectedNeg = Ops.neg(mx).toFloatArray();
        for (int round = 0; round < 3; round++) {
            // Fill the pool with NaN buffers of the sizes the next ops need.
            try (TensorScope scope = TensorScope.open()) {
                Tensor zero = Ops.zeros(DType.FLOAT32, 4, 4);
                Ops.div(zero, zero);
                Tensor zero20 = Ops.zeros(DType.FLOAT32, 4, 5);
                Ops.div(zero20, zero20);
                Ops.div(zero20, zero20);
            }
            try (TensorScope scope = TensorScope.open()) {
                assertArrayEquals(expected, Ops.matmul(mx, my).toFloatArray());
                assertArrayEquals(expectedSum, Ops.add(mx, 1f).toFloatArray());
                assertArrayEquals(expectedNeg, Ops.neg(mx).toFloatArray());
            }
        }
        // an int matmul accumulates into zeros, so it never takes a recycled buffer
        Tensor ix = Tensors.of(new int[][] {{1, 2}, {3, 4}});
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(new int[] {7, 10, 15, 22}, Ops.matmul(ix, ix).toIntArray());
        }
    }

    @Test
    void viewsLiveAndDieWithTheirBuffer() {
        Tensor view;
        Tensor keptView;
        Tensor base;
        try (TensorScope scope = TensorScope.open()) {
            view = Ops.reshape(Ops.add(A, B), 3, 2);
            base = Ops.mul(A, 2f);
            keptView = scope.keep(Ops.transpose(base, 1, 0));
        }
        assertTrue(view.isReleased());
        assertThrows(IllegalStateException.class, view::toFloatArray);
        assertArrayEquals(new float[] {2, 8, 4, 10, 6, 12}, keptView.toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, base.toFloatArray(), "shares the kept view's buffer");
        // a view of a tensor from outside the scope is never released
        Tensor outer;
        try (TensorScope scope = TensorScope.open()) {
            outer = Ops.reshape(A, 3, 2);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, outer.toFloatArray());
    }

    @Test
    void nestedScopesHandKeptResultsToTheirParent() {
        Tensor inner;
        Tensor survivor;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope scope = TensorScope.open()) {
                inner = scope.keep(Ops.add(A, B));
                survivor = scope.keep(Ops.sub(B, A));
            }
            assertArrayEquals(new float[] {11, 22, 33, 44, 55, 66}, inner.toFloatArray());
            outer.keep(survivor);
        }
        assertTrue(inner.isReleased(), "kept by the inner scope only: the outer one releases it");
        assertArrayEquals(new float[] {9, 18, 27, 36, 45, 54}, survivor.toFloatArray());
    }

    @Test
    void closesOnlyInOrderAndOnItsThread() throws Exception {
        TensorScope outer = TensorScope.open();
        TensorScope inner = TensorScope.open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Exception fromOther = assertThrows(Exception.class, () -> other.submit(inner::close).get());
            assertTrue(fromOther.getCause().getMessage().contains("belongs to thread"), fromOther.getMessage());
        } finally {
            other.shutdown();
        }
        inner.close();
        outer.close();
        outer.close(); // twice is fine
        assertThrows(IllegalStateException.class, () -> outer.keep(A));
    }

    @Test
    void variableValuesOutliveTheScope() {
        Variable v = Variable.of(Ops.zeros(DType.FLOAT32, 2, 3));
        try (TensorScope scope = TensorScope.open()) {
            v.assign(Ops.add(A, B));
            v.assignAdd(Ops.mul(A, 0f));
        }
        assertArrayEquals(new float[] {11, 22, 33, 44, 55, 66}, v.read().toFloatArray());
    }

    @Test
    void eagerGradientsInsideAScope() {
        Tensor x = Tensors.of(new float[] {1, 2, 3});
        Tensor grad;
        try (TensorScope scope = TensorScope.open(); GradientTape tape = GradientTape.start()) {
            tape.watch(x);
            Tensor y = Ops.sum(Ops.mul(x, x));
            grad = scope.keep(tape.gradient(y, x));
        }
        assertArrayEquals(new float[] {2, 4, 6}, grad.toFloatArray());
    }

    @Test
    void graphExecutionIsNeverOwnedByAScope() {
        Graph g = new Graph();
        Tensor x;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2, 3));
            Tensor c = Ops.add(g.constant("c", new float[] {1, 1, 1}), 1f); // folded into a constant
            y = Ops.mul(x, c);
        }
        List<Tensor> out;
        try (Session session = new Session(g)) {
            try (TensorScope scope = TensorScope.open()) {
                out = session.run(List.of(y), Map.of(x, A));
            }
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, session.run(List.of(y), Map.of(x, A)).get(0)
                    .toFloatArray(), "folded constants survive the scope");
        }
        assertNotSame(null, out.get(0));
    }

    @Test
    void tracedFunctionsCalledInsideAScopeKeepWorking() {
        Function f = Function.of(args -> new Tensor[] {Ops.add(Ops.mul(args[0], 2f), 1f)});
        Tensor r;
        try (TensorScope scope = TensorScope.open()) {
            r = f.call(A)[0];
        }
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13}, r.toFloatArray());
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13}, f.call(A)[0].toFloatArray());
        assertEquals(Shape.of(2, 3), r.shape());
    }
}
