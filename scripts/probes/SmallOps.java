import java.util.*;
import org.nabla.*;

/** µs per eager call of the spam Transformer's memory-bound ops at their sizes (best of 7 rounds of 50 calls). */
public class SmallOps {
    interface Call { Tensor run(); }

    public static void main(String[] a) {
        Random r = new Random(3);
        float[] xd = new float[6400 * 64], yd = new float[6400 * 64];
        for (int i = 0; i < xd.length; i++) { xd[i] = (float) r.nextGaussian(); yd[i] = (float) r.nextGaussian(); }
        Tensor x = Tensors.of(xd, 6400, 64), y = Tensors.of(yd, 6400, 64);
        Tensor x3 = Ops.reshape(x, 32, 200, 64), y3 = Ops.reshape(y, 32, 200, 64);
        Tensor m = Ops.greater(Ops.reshape(Ops.slice(x, new int[] {0, 0}, new int[] {6400, 1}), 32, 200, 1), 0f);
        Tensor w = Tensors.of(java.util.Arrays.copyOf(xd, 64 * 64), 64, 64);
        time("MatMul [6400, 64] x [64, 64]", () -> Ops.matmul(x, w));
        time("MatMul [6400, 64]^T x [6400, 64] (a weight gradient)", () -> Ops.matmul(x, y, true, false));
        time("MatMul [6400, 64] x [64, 64]^T (an input gradient)", () -> Ops.matmul(x, w, false, true));
        time("Sum [6400, 64] axis 0", () -> Ops.sum(x, 0));
        time("Add [32, 200, 64]", () -> Ops.add(x3, y3));
        time("Select [32, 200, 64] by [32, 200, 1]", () -> Ops.where(m, x3, 0f));
    }

    static void time(String name, Call c) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 9; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < 50; i++) c.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e3 / 50);
        }
        System.out.printf("%s: %.1f us%n", name, best);
    }
}
