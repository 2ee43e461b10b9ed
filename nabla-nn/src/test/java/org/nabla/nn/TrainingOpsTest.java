package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientChecker;
import org.nabla.ops.OpException;

/** The ops nabla-nn adds: BiasRelu, StepDropout, AdamUpdate. */
class TrainingOpsTest {
    @Test
    void biasReluMatchesReferenceForManyWidths() {
        for (int c : new int[] {1, 3, 8, 17, 64, 130}) {
            int rows = 5;
            double[] x = Ref.random(rows * c, c, -1, 1), b = Ref.random(c, c + 1, -0.5, 0.5);
            double[] ref = new double[x.length];
            for (int i = 0; i < x.length; i++) ref[i] = Math.max(0, (float) x[i] + (float) b[i % c]);
            Ref.assertClose(ref, TrainingOps.biasRelu(Ref.f32(x, rows, c), Ref.f32(b, c)), 1e-6);
            Tensor y64 = TrainingOps.biasRelu(Ref.f64(x, 1, rows, c), Ref.f64(b, c));
            for (int i = 0; i < x.length; i++) ref[i] = Math.max(0, x[i] + b[i % c]);
            Ref.assertClose(ref, y64, 1e-15);
        }
    }

    @Test
    void biasReluGradient() {
        Tensor x = Ref.f64(Ref.random(24, 1, -1, 1), 2, 3, 4), b = Ref.f64(Ref.random(4, 2, -0.3, 0.3), 4);
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("BiasRelu", in -> new Tensor[] {TrainingOps.biasRelu(in[0], in[1])}, mode, x, b)
                    .assertOk(1e-6);
        }
        for (GradientChecker.Mode mode : new GradientChecker.Mode[] {GradientChecker.Mode.EAGER,
                GradientChecker.Mode.GRAPH}) {
            GradientChecker.checkSecondOrder("BiasRelu", in -> new Tensor[] {TrainingOps.biasRelu(in[0], in[1])},
                    mode, x, b)
                    .assertOk(1e-6);
        }
        // float32 backward (vectorized, chunked bias sums) against a float64 reference
        for (int c : new int[] {3, 16, 37}) {
            int rows = 41;
            double[] g = Ref.random(rows * c, c, -1, 1), y = Ref.random(rows * c, c + 7, -1, 1);
            Tensor[] r = Ops.runMulti(TrainingOps.BIAS_RELU_GRAD, org.nabla.ops.Attrs.EMPTY, Ref.f32(g, rows, c),
                    Ref.f32(y, rows, c));
            double[] dx = new double[g.length], db = new double[c];
            for (int i = 0; i < g.length; i++) {
                dx[i] = y[i] > 0 ? (float) g[i] : 0;
                db[i % c] += dx[i];
            }
            Ref.assertClose(dx, r[0], 0);
            Ref.assertClose(db, r[1], 1e-5);
        }
        OpException e = assertThrows(OpException.class,
                () -> TrainingOps.biasRelu(Tensors.of(new float[][] {{1, 2}}), Tensors.of(new float[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("bias must be 1-D with the size of value's last dim"), e.getMessage());
    }

    @Test
    void stepDropoutKeysByStep() {
        Tensor x = Ops.ones(DType.FLOAT32, 1000);
        Tensor a = TrainingOps.stepDropout(x, Tensors.scalar(1L), 0.5, 9);
        Ref.assertClose(a.toDoubleArray(), TrainingOps.stepDropout(x, Tensors.scalar(1L), 0.5, 9), 0);
        Tensor b = TrainingOps.stepDropout(x, Tensors.scalar(2L), 0.5, 9);
        double same = 0;
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray();
        for (int i = 0; i < av.length; i++) if (av[i] == bv[i]) same++;
        assertTrue(same < 650 && same > 350, "masks of two steps agree on " + same + " of 1000");
        Ref.assertClose(x.toDoubleArray(), TrainingOps.stepDropout(x, Tensors.scalar(1L), 0, 9), 0);
        OpException e = assertThrows(OpException.class, () -> TrainingOps.stepDropout(x, Tensors.scalar(1), 0.5, 9));
        assertTrue(e.getMessage().contains("step must be an int64 scalar"), e.getMessage());
    }

    /** The float32 mask (eight hashes per step, a scalar tail) is bitwise the scalar hash's, at a pinned rate. */
    @Test
    void stepDropoutFloatMaskIsTheScalarHash() {
        int n = 70_003; // several parallel chunks and a tail
        double rate = 0.3;
        double[] x = Ref.random(n, 4, -1, 1);
        Tensor y = TrainingOps.stepDropout(Ref.f32(x, n), Tensors.scalar(12L), rate, 77);
        float[] yv = y.toFloatArray();
        long key = TrainingOps.dropoutKey(77, 12), threshold = (long) Math.ceil(rate * 0x1.0p53);
        float scale = (float) (1 / (1 - rate));
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean keep = TrainingOps.keep(key, i, threshold);
            assertEquals(keep ? (float) x[i] * scale : 0f * (float) x[i], yv[i], 0f, "element " + i);
            if (keep) kept++;
        }
        assertTrue(Math.abs(kept - 0.7 * n) < 0.01 * n, kept + " of " + n + " kept");
    }

    @Test
    void adamUpdateChecksItsInputs() {
        Tensor w = Tensors.of(new float[] {1, 2});
        OpException e = assertThrows(OpException.class, () -> TrainingOps.adamUpdate(w, w, w,
                Tensors.of(new float[] {1, 2, 3}), Tensors.scalar(0.1f), Tensors.scalar(1L), 0.9, 0.999, 1e-7, 0));
        assertTrue(e.getMessage().contains("m, v and grad must match value"), e.getMessage());
        e = assertThrows(OpException.class, () -> TrainingOps.adamUpdate(w, w, w, w, Tensors.scalar(0.1f),
                Tensors.scalar(0L), 0.9, 0.999, 1e-7, 0));
        assertTrue(e.getMessage().contains("step must be >= 1"), e.getMessage());
        assertEquals(3, Ops.runMulti(TrainingOps.ADAM_UPDATE, org.nabla.ops.Attrs.EMPTY, w, w, w, w,
                Tensors.scalar(0.1f), Tensors.scalar(1L)).length);
    }

    @Test
    void adamStoresSubnormalMomentsAsZero() {
        // 37 elements: two full 16-lane vectors and a scalar tail. m just above the smallest normal float decays by
        // beta1 = 0.9 into the subnormal range and is stored as zero; normal moments are untouched (float64 check).
        int n = 37;
        float[] w = new float[n], m = new float[n], v = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5f;
            m[i] = i % 2 == 0 ? Float.MIN_NORMAL * 1.05f : 0.01f;
            v[i] = i % 3 == 0 ? Float.MIN_NORMAL * 1.0005f : 1e-4f;
        }
        Tensor[] out = TrainingOps.adamUpdate(Tensors.of(w), Tensors.of(m), Tensors.of(v), Tensors.of(g),
                Tensors.scalar(0.001f), Tensors.scalar(3L), 0.9, 0.999, 1e-7, 0);
        float[] nm = out[1].toFloatArray(), nv = out[2].toFloatArray();
        for (int i = 0; i < n; i++) {
            float expectM = i % 2 == 0 ? 0f : (float) (0.9 * 0.01f);
            float expectV = i % 3 == 0 ? 0f : (float) (0.999 * 1e-4f);
            assertEquals(expectM, nm[i], Math.ulp(expectM) * 2, "m[" + i + "]");
            assertEquals(expectV, nv[i], Math.ulp(expectV) * 2, "v[" + i + "]");
            assertTrue(nm[i] == 0 || Math.abs(nm[i]) >= Float.MIN_NORMAL, "m[" + i + "] is subnormal: " + nm[i]);
        }
    }
}
