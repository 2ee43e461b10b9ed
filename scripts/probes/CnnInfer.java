import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;
import org.nabla.profiler.*;

/**
 * Where the cnn's batch-B traced inference call goes: p10 / median µs of the whole call, of each fused conv + pool
 * layer run eagerly alone (the same kernels the plan runs), and the Profiler's per-op self times of the call.
 * Args: [batch] [rounds].
 */
public class CnnInfer {
    static double sink;

    interface Body { void run(); }

    static String spread(int n, Body body) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) { long s = System.nanoTime(); body.run(); t[i] = System.nanoTime() - s; }
        Arrays.sort(t);
        return String.format("%.1f / %.1f", t[n / 10] / 1e3, t[n / 2] / 1e3);
    }

    static Tensor rand(Random r, int... shape) {
        int size = 1;
        for (int d : shape) size *= d;
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = r.nextFloat() - 0.5f;
        return Tensors.of(v, shape);
    }

    public static void main(String[] args) {
        int b = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Sequential m = ReferenceModels.byName("cnn", 42);
        Random r = new Random(1);
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < 4; v++) { float[] x = new float[b * 784]; for (int i = 0; i < x.length; i++) x[i] = r.nextFloat(); xs[v] = Tensors.of(x, b, 28, 28, 1); }
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        Tensor x1 = xs[0], f1 = rand(r, 3, 3, 1, 32), b1 = rand(r, 32);
        Tensor x2 = rand(r, b, 13, 13, 32), f2 = rand(r, 3, 3, 32, 64), b2 = rand(r, 64);
        Attrs conv = Attrs.of("strides", new int[] {1, 1}, "padding", "VALID", "activation", "RELU", "maxPool", 2);
        int[] it = {0};
        Body call = () -> sink += f.call(xs[it[0]++ & 3])[0].toFloatArray()[0];
        Body l1 = () -> { try (TensorScope s = TensorScope.open()) { sink += Ops.run(FusedOps.FUSED_CONV2D, conv, x1, f1, b1).shape().dim(0); } };
        Body l2 = () -> { try (TensorScope s = TensorScope.open()) { sink += Ops.run(FusedOps.FUSED_CONV2D, conv, x2, f2, b2).shape().dim(0); } };
        int n = b >= 100 ? 400 : 20000;
        for (int i = 0; i < 3 * n; i++) { call.run(); l1.run(); l2.run(); }
        for (int round = 0; round < rounds; round++) {
            System.out.printf("round %d b%d p10/median us: call %s  conv1+pool %s  conv2+pool %s%n", round, b,
                    spread(n, call), spread(n, l1), spread(n, l2));
        }
        Profiler.start();
        for (int i = 0; i < n; i++) call.run();
        System.out.println(Profiler.stop().summary(20));
    }
}
