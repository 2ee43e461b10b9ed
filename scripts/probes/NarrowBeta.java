import org.nabla.kernels.cpu.Gemm;

/**
 * Heap bytes allocated and µs per call of a narrow product (C one vector wide) with beta != 0: SGD's fused update of
 * a 10-class layer, 128 x 10 x 32 with A transposed, as MatMulApplyGradientDescent calls it. Boxed vectors show as
 * kilobytes per call (add -XX:CompileCommand=dontinline,org.nabla.kernels.cpu.GemmFloatNarrow::addScaled to check
 * that a helper left un-inlined costs nothing). Args: [beta] (default 1; 0 for the plain product).
 */
public class NarrowBeta {
    public static void main(String[] x) {
        int m = 128, n = 10, k = 32;
        float beta = x.length > 0 ? Float.parseFloat(x[0]) : 1f;
        float[] a = new float[k * m], b = new float[k * n], c = new float[m * n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
        var t = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) {
            long b0 = t.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
            int calls = 20000;
            for (int i = 0; i < calls; i++) Gemm.sgemm(true, false, m, n, k, -0.01f, a, 0, m, b, 0, n, beta, c, 0, n);
            System.out.printf("round %d: %.0f bytes/call, %.2f us/call%n", round,
                    (t.getTotalThreadAllocatedBytes() - b0) / (double) calls, (System.nanoTime() - t0) / 1e3 / calls);
        }
    }
}
