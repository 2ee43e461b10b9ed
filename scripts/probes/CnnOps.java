import java.util.*;
import java.util.function.Supplier;
import org.nabla.*;
import org.nabla.nn.PoolingOps;
import org.nabla.nn.TrainingOps;
import org.nabla.ops.Attrs;

/** Best-of-N eager times of every large op of the reference cnn's training step (batch 128), each alone. */
public class CnnOps {
    static final Random R = new Random(1);
    static long sink;

    static Tensor rand(int... shape) {
        int size = 1;
        for (int d : shape) size *= d;
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = R.nextFloat() - 0.5f;
        return Tensors.of(v, shape);
    }

    static void time(String name, double mflop, Supplier<Tensor> op) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            long t = System.nanoTime();
            try (TensorScope s = TensorScope.open()) {
                sink += java.lang.reflect.Array.getLength(op.get().data()); // no copy: toFloatArray's copy of an 11 MB result cost more than the op
            }
            best = Math.min(best, System.nanoTime() - t);
        }
        String rate = mflop > 0 ? String.format("%6.0f GFLOP/s", mflop * 1e6 / best) : "";
        System.out.printf("%-34s %8.3f ms %s%n", name, best / 1e6, rate);
    }

    public static void main(String[] a) {
        int n = 128;
        Conv2dOptions o = Conv2dOptions.defaults();
        Tensor x1 = rand(n, 28, 28, 1), f1 = rand(3, 3, 1, 32), g1 = rand(n, 26, 26, 32);
        Tensor x2 = rand(n, 13, 13, 32), f2 = rand(3, 3, 32, 64), g2 = rand(n, 11, 11, 64);
        Tensor p1 = rand(n, 13, 13, 32), p2 = rand(n, 5, 5, 64), d = rand(n, 1600), w = rand(1600, 10), gl = rand(n, 10);
        double c1 = 2.0 * n * 26 * 26 * 9 * 32 / 1e6, c2 = 2.0 * n * 11 * 11 * 288 * 64 / 1e6;
        Attrs pool = Attrs.of("ksize", new int[] {2, 2}, "strides", new int[] {2, 2}, "padding", "VALID");
        Tensor[] mp1 = PoolingOps.maxPoolWithArgmax(g1, new int[] {2, 2}, new int[] {2, 2}, "VALID");
        Tensor[] mp2 = PoolingOps.maxPoolWithArgmax(g2, new int[] {2, 2}, new int[] {2, 2}, "VALID");
        for (int round = 0; round < 2; round++) {
            System.out.println("-- round " + round);
            time("conv1 forward", c1, () -> Ops.conv2d(x1, f1, o));
            time("conv1 filter grad", c1, () -> Ops.conv2dBackpropFilter(x1, f1, g1, o));
            time("conv2 forward", c2, () -> Ops.conv2d(x2, f2, o));
            time("conv2 input grad", c2, () -> Ops.conv2dBackpropInput(x2, f2, g2, o));
            time("conv2 filter grad", c2, () -> Ops.conv2dBackpropFilter(x2, f2, g2, o));
            time("maxpool+argmax [128,26,26,32]", 0, () -> PoolingOps.maxPoolWithArgmax(g1, new int[] {2, 2},
                    new int[] {2, 2}, "VALID")[0]);
            time("maxpool+argmax [128,11,11,64]", 0, () -> PoolingOps.maxPoolWithArgmax(g2, new int[] {2, 2},
                    new int[] {2, 2}, "VALID")[0]);
            time("argmax scatter -> [128,26,26,32]", 0, () -> Ops.run(PoolingOps.ARGMAX_SCATTER, Attrs.EMPTY, p1,
                    mp1[1], g1));
            time("argmax scatter -> [128,11,11,64]", 0, () -> Ops.run(PoolingOps.ARGMAX_SCATTER, Attrs.EMPTY, p2,
                    mp2[1], g2));
            // pooled values of both signs at random, as after a ReLU layer: the mask is unpredictable
            time("maxpool relu grad -> [128,26,26,32]", 0, () -> Ops.runMulti(PoolingOps.MAX_POOL_BIAS_RELU_GRAD,
                    Attrs.EMPTY, p1, mp1[1], p1, g1)[0]);
            time("maxpool relu grad -> [128,11,11,64]", 0, () -> Ops.runMulti(PoolingOps.MAX_POOL_BIAS_RELU_GRAD,
                    Attrs.EMPTY, p2, mp2[1], p2, g2)[0]);
            time("bias relu [128,26,26,32]", 0, () -> Ops.run(TrainingOps.BIAS_RELU, Attrs.EMPTY, g1, rand(32)));
            time("bias relu grad [128,26,26,32]", 0, () -> Ops.runMulti(TrainingOps.BIAS_RELU_GRAD, Attrs.EMPTY, g1,
                    g1)[0]);
            time("bias relu grad [128,11,11,64]", 0, () -> Ops.runMulti(TrainingOps.BIAS_RELU_GRAD, Attrs.EMPTY, g2,
                    g2)[0]);
            time("step dropout [128,1600]", 0, () -> Ops.runMulti(TrainingOps.STEP_DROPOUT,
                    Attrs.of("rate", 0.5, "seed", 3L), d, Tensors.scalar(7L))[0]);
            time("dense matmul [128,1600]x[1600,10]", 0, () -> Ops.matmul(d, w));
            time("dense dW [1600,128]x[128,10]", 0, () -> Ops.matmul(d, gl, true, false));
            time("dense dX [128,10]x[10,1600]", 0, () -> Ops.matmul(gl, w, false, true));
        }
    }
}
