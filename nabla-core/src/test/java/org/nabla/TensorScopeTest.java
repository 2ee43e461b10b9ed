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
    /** Scopes pool buffers of 16 KB and up, so the operands here are 64 x 64 floats. */
    private static final int N = 64;
    private static final float[] AV = values(1);
    private static final float[] BV = values(10);
    private static final Tensor A = Tensors.of(AV.clone(), N, N);
    private static final Tensor B = Tensors.of(BV.clone(), N, N);

    /** scale * [1, 2, ..., N*N]. */
    private static float[] values(float scale) {
        float[] v = new float[N * N];
        for (int i = 0; i < v.length; i++) v[i] = scale * (i + 1);
        return v;
    }

    private static float[] map(java.util.function.IntToDoubleFunction f) {
        float[] v = new float[N * N];
        for (int i = 0; i < v.length; i++) v[i] = (float) f.applyAsDouble(i);
        return v;
    }

    /** A test-only op whose kernel returns its input's buffer in a new tensor (no view); internal (not on Ops). */
    static final org.nabla.ops.OpDef ALIAS = org.nabla.ops.OpDef.builder("TensorScopeTestAlias").inputs("x")
            .shape((in, a) -> new org.nabla.ops.TensorSpec[] {in[0]}).notDifferentiable().internal()
            .summary("test only: the input's buffer as a new tensor").build();

    static {
        org.nabla.kernels.KernelRegistry.global().register(ALIAS, org.nabla.device.CpuDevice.TYPE, (DType) null,
                ctx -> new Tensor[] {Tensor.wrap(ctx.input(0).dtype(), ctx.input(0).shape(), ctx.input(0).data())});
    }

    @AfterEach
    void emptyPool() { TensorScope.clearPool(); }

    @Test
    void anOutputSharingAnOwnedBufferIsReleasedWithIt() {
        Tensor alias;
        Tensor outsideAlias;
        try (TensorScope scope = TensorScope.open()) {
            alias = Ops.run(ALIAS, org.nabla.ops.Attrs.EMPTY, Ops.add(A, B));
            outsideAlias = Ops.run(ALIAS, org.nabla.ops.Attrs.EMPTY, A);
        }
        assertTrue(alias.isReleased(), "its buffer went back to the pool, so it must not be readable");
        assertThrows(IllegalStateException.class, alias::toFloatArray);
        assertArrayEquals(AV, outsideAlias.toFloatArray(), "aliases of outside tensors are untouched");
    }

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
        assertEquals("tf.Tensor(<released by its TensorScope>, shape=(64, 64), dtype=float32)", dropped.toString());
        assertFalse(kept.isReleased());
        assertArrayEquals(map(i -> AV[i] * BV[i]), kept.toFloatArray());
        try (TensorScope scope = TensorScope.open()) {
            Tensor again = Ops.sub(B, A);
            assertSame(droppedBuffer, again.data(), "the released buffer is reused");
            assertArrayEquals(map(i -> BV[i] - AV[i]), again.toFloatArray());
        }
        // inputs made outside any scope are never touched
        assertArrayEquals(AV, A.toFloatArray());
        // small results are left to the garbage collector
        Tensor small;
        try (TensorScope scope = TensorScope.open()) {
            small = Ops.add(Tensors.of(new float[] {1, 2}), 1f);
        }
        assertArrayEquals(new float[] {2, 3}, small.toFloatArray());
    }

    @Test
    void recycledBuffersAreFullyOverwrittenByEveryKernelThatTakesThem() {
        float[][] x = new float[64][80];
        float[][] y = new float[80][64];
        for (int i = 0; i < 64; i++) for (int j = 0; j < 80; j++) { x[i][j] = i - j; y[j][i] = (i * j) % 7 + 1; }
        Tensor mx = Tensors.of(x), my = Tensors.of(y);
        float[] expected = Ops.matmul(mx, my).toFloatArray();
        float[] expectedSum = Ops.add(mx, 1f).toFloatArray();
        float[] expectedNeg = Ops.neg(mx).toFloatArray();
        for (int round = 0; round < 3; round++) {
            // Fill the pool with NaN buffers of the sizes the next ops need.
            try (TensorScope scope = TensorScope.open()) {
                Tensor zero = Ops.zeros(DType.FLOAT32, 64, 64);
                Ops.div(zero, zero);
                Tensor zero20 = Ops.zeros(DType.FLOAT32, 64, 80);
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
        Tensor ix = Ops.cast(Ops.reshape(Ops.range(0, N * N, 1), N, N), DType.INT32);
        int[] expectedInts = Ops.matmul(ix, ix).toIntArray();
        try (TensorScope scope = TensorScope.open()) {
            Tensor nan = Ops.zeros(DType.FLOAT32, N, N);
            Ops.div(nan, nan);
        }
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(expectedInts, Ops.matmul(ix, ix).toIntArray());
        }
    }

    @Test
    void anOpenScopeDoesNotKeepDeadResultsReachable() throws InterruptedException {
        try (TensorScope scope = TensorScope.open()) {
            java.lang.ref.WeakReference<Tensor> dead = new java.lang.ref.WeakReference<>(Ops.add(A, B));
            Tensor alive = Ops.mul(A, B);
            for (int i = 0; i < 20 && dead.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertEquals(null, dead.get(), "the scope holds its results weakly");
            assertArrayEquals(map(i -> AV[i] * BV[i]), alive.toFloatArray());
        }
    }

    @Test
    void viewsLiveAndDieWithTheirBuffer() {
        Tensor view;
        Tensor keptView;
        Tensor base;
        try (TensorScope scope = TensorScope.open()) {
            view = Ops.reshape(Ops.add(A, B), N * N);
            base = Ops.mul(A, 2f);
            keptView = scope.keep(Ops.transpose(base, 1, 0));
        }
        assertTrue(view.isReleased());
        assertThrows(IllegalStateException.class, view::toFloatArray);
        assertArrayEquals(map(i -> 2 * AV[(i % N) * N + i / N]), keptView.toFloatArray());
        assertArrayEquals(map(i -> 2 * AV[i]), base.toFloatArray(), "shares the kept view's buffer");
        // a view of a tensor from outside the scope is never released
        Tensor outer;
        try (TensorScope scope = TensorScope.open()) {
            outer = Ops.reshape(A, N * N);
        }
        assertArrayEquals(AV, outer.toFloatArray());
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
            assertArrayEquals(map(i -> AV[i] + BV[i]), inner.toFloatArray());
            outer.keep(survivor);
        }
        assertTrue(inner.isReleased(), "kept by the inner scope only: the outer one releases it");
        assertArrayEquals(map(i -> BV[i] - AV[i]), survivor.toFloatArray());
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
        Variable v = Variable.of(Ops.zeros(DType.FLOAT32, N, N));
        try (TensorScope scope = TensorScope.open()) {
            v.assign(Ops.add(A, B));
            v.assignAdd(Ops.mul(A, 0f));
        }
        assertArrayEquals(map(i -> AV[i] + BV[i]), v.read().toFloatArray());
    }

    @Test
    void eagerGradientsInsideAScope() {
        Tensor grad;
        Tensor dropped;
        try (TensorScope scope = TensorScope.open(); GradientTape tape = GradientTape.start()) {
            tape.watch(A);
            dropped = Ops.mul(A, A);
            Tensor y = Ops.sum(dropped);
            grad = scope.keep(tape.gradient(y, A));
        }
        assertArrayEquals(map(i -> 2 * AV[i]), grad.toFloatArray());
        assertTrue(dropped.isReleased());
    }

    @Test
    void aTapeThatOutlivesTheScopeSaysWhy() {
        Tensor y;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(A);
            try (TensorScope scope = TensorScope.open()) {
                y = scope.keep(Ops.sum(Ops.mul(Ops.exp(Ops.mul(A, 0.001f)), A)));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, A));
            assertTrue(e.getMessage().contains("open the scope outside the tape"), e.getMessage());
        }
    }

    @Test
    void graphExecutionIsNeverOwnedByAScope() {
        Graph g = new Graph();
        Tensor x;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(N, N));
            Tensor c = Ops.add(g.constant("c", new float[N]), 2f); // folded into a constant of N twos
            y = Ops.mul(x, c);
        }
        List<Tensor> out;
        try (Session session = new Session(g)) {
            try (TensorScope scope = TensorScope.open()) {
                out = session.run(List.of(y), Map.of(x, A));
            }
            assertArrayEquals(map(i -> 2 * AV[i]), out.get(0).toFloatArray());
            assertArrayEquals(map(i -> 2 * AV[i]), session.run(List.of(y), Map.of(x, A)).get(0).toFloatArray(),
                    "folded constants survive the scope");
        }
        assertNotSame(null, out.get(0));
    }

    @Test
    void tracedFunctionsCalledInsideAScopeKeepWorking() {
        TracedFunction f = TracedFunction.of(args -> new Tensor[] {Ops.add(Ops.mul(args[0], 2f), 1f)});
        Tensor r;
        try (TensorScope scope = TensorScope.open()) {
            r = f.call(A)[0];
        }
        assertArrayEquals(map(i -> 2 * AV[i] + 1), r.toFloatArray());
        assertArrayEquals(map(i -> 2 * AV[i] + 1), f.call(A)[0].toFloatArray());
        assertEquals(Shape.of(N, N), r.shape());
    }

    @Test
    void complexBuffersArePooledByElementCount() {
        BufferPool pool = BufferPool.current();
        pool.clear();
        float[] pairs = new float[2 * 1024];   // 1024 complex64 elements
        pool.give(pairs, DType.Storage.COMPLEX64);
        assertEquals(null, pool.take(DType.Storage.COMPLEX64, 2048), "not a buffer of 2048 elements");
        assertSame(pairs, pool.take(DType.Storage.COMPLEX64, 1024));
        // a scope releasing complex results leaves later complex results intact
        Tensor keep;
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = Tensors.complex(new float[] {1, 2}, new float[] {3, 4});
            keep = scope.keep(Ops.mul(z, z));
        }
        assertArrayEquals(new double[] {-8, 6, -12, 16}, keep.toComplexArray());
        pool.clear();
    }
}
