package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The private erf/erfc behind exact Gelu: tabulated values, a fine grid against Simpson's rule, and the tails. */
class CpuNnKernelsTest {
    private static void assertRelative(double expected, double actual, double tol) {
        assertEquals(expected, actual, Math.abs(expected) * tol, () -> "expected " + expected + " got " + actual);
    }

    @Test
    void erfMatchesTabulatedValues() {
        double[][] erf = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {2, 0.9953222650189527}, {3.3, 0.9999969422902035}};
        for (double[] e : erf) {
            assertRelative(e[1], CpuNnKernels.erf(e[0]), 4e-16);
            assertRelative(-e[1], CpuNnKernels.erf(-e[0]), 4e-16);
        }
        double[][] erfc = {{0.3, 0.6713732405408726}, {1.7, 0.016209541409225436}, {3, 2.2090496998585438e-05},
            {4.5, 1.9661604415428873e-10}, {5, 1.5374597944280351e-12}, {10, 2.088487583762545e-45},
            {20, 5.3958656116079005e-176}};
        for (double[] e : erfc) assertRelative(e[1], CpuNnKernels.erfcPositive(e[0]), 5e-15);
        assertEquals(0.0, CpuNnKernels.erf(0.0));
        assertEquals(1.0, CpuNnKernels.erf(7));
        assertEquals(-1.0, CpuNnKernels.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, CpuNnKernels.erfcPositive(40));
        assertRelative(1e-300 * 2 / Math.sqrt(Math.PI), CpuNnKernels.erf(1e-300), 1e-15);
    }

    @Test
    void erfMatchesSimpsonIntegrationOnAFineGrid() {
        for (int i = 0; i <= 6000; i += 7) {
            double z = i / 1000.0;
            int steps = 2 * (int) Math.ceil(z * 400) + 2;
            double h = z / steps, sum = 0;
            for (int k = 0; k <= steps; k++) {
                double t = k * h;
                sum += (k == 0 || k == steps ? 1 : k % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
            }
            double reference = 2 / Math.sqrt(Math.PI) * sum * h / 3;
            assertEquals(reference, CpuNnKernels.erf(z), 2e-13, "erf(" + z + ")");
            assertEquals(1 - reference, CpuNnKernels.erfcPositive(z), 2e-13, "erfc(" + z + ")");
        }
    }
}
