package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Atan, Asin and Acos: exact angles of known sines, cosines and tangents, the inverse identities, and the domain. */
class InverseTrigOpsTest {
    @Test
    void knownAnglesInFloat64AndFloat32() {
        double pi = Math.PI, r3 = Math.sqrt(3);
        check(Ops::atan, new double[] {0, 1, -1, r3, 1 / r3}, new double[] {0, pi / 4, -pi / 4, pi / 3, pi / 6});
        check(Ops::asin, new double[] {0, 0.5, -0.5, 1, Math.sqrt(0.5)}, new double[] {0, pi / 6, -pi / 6, pi / 2,
            pi / 4});
        check(Ops::acos, new double[] {1, 0.5, 0, -0.5, -1}, new double[] {0, pi / 3, pi / 2, 2 * pi / 3, pi});
    }

    private static void check(java.util.function.UnaryOperator<Tensor> f, double[] x, double[] want) {
        double[] d = f.apply(Tensors.of(x, x.length)).toDoubleArray();
        double[] s = f.apply(Ops.cast(Tensors.of(x, x.length), DType.FLOAT32)).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(want[i], d[i], 1e-15, "float64 at " + x[i]);
            assertEquals(want[i], s[i], 1e-6, "float32 at " + x[i]);
        }
    }

    @Test
    void inverseIdentitiesHoldOverTheirDomains() {
        double[] x = new double[201];
        for (int i = 0; i < x.length; i++) x[i] = -1 + i * 0.01;
        Tensor t = Tensors.of(x, x.length);
        double[] asin = Ops.asin(t).toDoubleArray(), acos = Ops.acos(t).toDoubleArray();
        double[] atan = Ops.atan(Ops.mul(t, 50.0)).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], Math.sin(asin[i]), 1e-12);
            assertEquals(x[i], Math.cos(acos[i]), 1e-12);
            assertEquals(Math.PI / 2, asin[i] + acos[i], 1e-12);
            assertEquals(50 * x[i], Math.tan(atan[i]), 1e-9 * Math.max(1, Math.abs(50 * x[i])));
        }
    }

    @Test
    void outsideTheDomainIsNaN() {
        Tensor t = Tensors.of(new double[] {1.5, -2}, 2);
        for (double v : Ops.asin(t).toDoubleArray()) assertTrue(Double.isNaN(v));
        for (double v : Ops.acos(t).toDoubleArray()) assertTrue(Double.isNaN(v));
    }
}
