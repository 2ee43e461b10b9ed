import java.util.*;
import org.nabla.*;
import org.nabla.ops.AttentionOps;
import org.nabla.ops.Attrs;

/**
 * ms per call of the spam Transformer's fused attention alone (q, k, v [32, 2, 200, 32] float32, a query-and-key
 * padding mask of lengths like the corpus': 42% full, the rest 10-200), forward and backward eagerly, best and
 * median of ROUNDS rounds of CALLS calls: args [rounds] [calls].
 */
public class AttnStep {
    public static void main(String[] a) {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 7, calls = a.length > 1 ? Integer.parseInt(a[1]) : 20;
        int b = 32, h = 2, t = 200, d = 32;
        Random r = new Random(7);
        float[] qd = new float[b * h * t * d], kd = qd.clone(), vd = qd.clone(), gd = qd.clone();
        for (float[] x : List.of(qd, kd, vd, gd)) for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        byte[] m = new byte[b * t * t];
        for (int i = 0; i < b; i++) {
            int len = r.nextDouble() < 0.42 ? t : 10 + r.nextInt(t - 10);
            for (int qi = 0; qi < t; qi++) for (int kj = 0; kj < t; kj++) m[(i * t + qi) * t + kj] = (byte) (qi < len && kj < len ? 1 : 0);
        }
        Tensor q = Tensors.of(qd, b, h, t, d), k = Tensors.of(kd, b, h, t, d), v = Tensors.of(vd, b, h, t, d);
        Tensor g = Tensors.of(gd, b, h, t, d);
        Tensor mask = Ops.expandDims(Tensor.wrap(DType.BOOL, Shape.of(b, t, t), m), 1);
        Attrs at = Attrs.of("scale", 1 / Math.sqrt(d), "causal", false);
        Tensor[] out = Ops.runMulti(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION, at, q, k, v, mask);
        Tensor gl = Ops.zerosLike(out[1]);
        List<Double> fw = new ArrayList<>(), bw = new ArrayList<>();
        for (int round = -2; round < rounds; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) Ops.runMulti(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION, at, q, k, v, mask);
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                Ops.runMulti(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION_GRAD, at, q, k, v, out[1], g, gl, mask);
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                fw.add((t1 - t0) / 1e6 / calls);
                bw.add((t2 - t1) / 1e6 / calls);
            }
        }
        Collections.sort(fw);
        Collections.sort(bw);
        System.out.printf("attention forward ms best %.3f median %.3f; backward best %.3f median %.3f%n", fw.get(0),
                fw.get(fw.size() / 2), bw.get(0), bw.get(bw.size() / 2));
    }
}
