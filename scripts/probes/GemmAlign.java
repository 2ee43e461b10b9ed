import java.lang.reflect.*;
import java.util.*;

/**
 * Does the alignment of a product's arrays move its speed? The mlp's first inference product (1000 x 128 x 784,
 * B packed once, as the dense layer runs it) with the packed B, then C, then A starting at each 8-byte step of a
 * 64-byte line: median µs of 300 calls each. Run with -XX:-UseCompressedOops (the probe reads array addresses with
 * sun.misc.Unsafe, for this diagnosis only).
 */
public class GemmAlign {
    static sun.misc.Unsafe U;
    static long address(Object o) {
        Object[] h = {o};
        return U.getLong(h, (long) U.arrayBaseOffset(Object[].class)) + U.arrayBaseOffset(float[].class);
    }

    public static void main(String[] args) throws Exception {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        U = (sun.misc.Unsafe) f.get(null);
        int m = 1000, n = 128, k = 784;
        Class<?> g = Class.forName("org.nabla.kernels.cpu.GemmFloat");
        Class<?> epi = Class.forName("org.nabla.kernels.cpu.GemmEpilogue");
        Method gemm = g.getDeclaredMethod("gemm", boolean.class, boolean.class, int.class, int.class, int.class,
                float.class, float[].class, int.class, int.class, float[].class, int.class, int.class, float.class,
                float[].class, int.class, int.class, int.class, epi, float[].class);
        Method pack = g.getDeclaredMethod("packWhole", boolean.class, float[].class, int.class, int.class, int.class,
                int.class);
        gemm.setAccessible(true);
        pack.setAccessible(true);
        Random r = new Random(1);
        float[] a = new float[m * k + 64], b = new float[k * n], c = new float[m * n + 64];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        float[] packed0 = (float[]) pack.invoke(null, false, b, 0, n, k, n);
        Object[] keep = new Object[64];
        float[][] packs = new float[8][];
        for (int s = 0, got = 0; got < 8 && s < 64; s++) { // copies of packed B at each 8-byte step of a line
            keep[s] = new byte[8 * s + 1];
            float[] p = packed0.clone();
            int al = (int) (address(p) % 64) / 8;
            if (packs[al] == null) { packs[al] = p; got++; }
        }
        for (int i = 0; i < 1500; i++) gemm.invoke(null, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, 2, null, packs[0]);
        for (int round = 0; round < 2; round++) {
            StringBuilder sb = new StringBuilder("B line offset (bytes): ");
            for (int al = 0; al < 8; al++) {
                if (packs[al] == null) continue;
                sb.append(String.format("%d: %.0f  ", address(packs[al]) % 64, median(gemm, a, 0, b, c, 0, packs[al], m, n, k)));
            }
            System.out.println(sb);
            sb = new StringBuilder("C line offset (bytes): ");
            for (int o = 0; o < 16; o += 2) {
                sb.append(String.format("%d: %.0f  ", (address(c) + 4 * o) % 64, median(gemm, a, 0, b, c, o, packs[0], m, n, k)));
            }
            System.out.println(sb);
            sb = new StringBuilder("A line offset (bytes): ");
            for (int o = 0; o < 16; o += 2) {
                sb.append(String.format("%d: %.0f  ", (address(a) + 4 * o) % 64, median(gemm, a, o, b, c, 0, packs[0], m, n, k)));
            }
            System.out.println(sb);
        }
    }

    static double median(Method gemm, float[] a, int aOff, float[] b, float[] c, int cOff, float[] packed, int m, int n, int k) throws Exception {
        long[] t = new long[300];
        for (int i = 0; i < 20; i++) gemm.invoke(null, false, false, m, n, k, 1f, a, aOff, k, b, 0, n, 0f, c, cOff, n, 2, null, packed);
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            gemm.invoke(null, false, false, m, n, k, 1f, a, aOff, k, b, 0, n, 0f, c, cOff, n, 2, null, packed);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[t.length / 2] / 1e3;
    }
}
