package org.nabla.autograph;

import java.util.Arrays;
import java.util.Random;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;

/**
 * Not a test: what conversion costs. The seed's RNN (T steps of tanh(x(t)·W + h·U)) run eagerly as written and
 * eagerly through the converted method (frames of boxed locals and a method-handle call per construct and iteration),
 * in alternating rounds; then the converted method traced (one While) against the hand-written Ops.whileLoop traced.
 * Run: java -cp ... org.nabla.autograph.EagerOverheadBench [T] [rounds]
 */
public final class EagerOverheadBench {
    private EagerOverheadBench() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Random r = new Random(1);
        int b = 8, d = 32, h = 32;
        Tensor x = random(r, steps, b, d), w = random(r, d, h), u = random(r, h, h), h0 = random(r, b, h);
        TensorArrayFunction converted = AutoGraph.convert(EagerOverheadBench::rnn);
        TracedFunction traced = AutoGraph.function(EagerOverheadBench::rnn);
        TracedFunction byHand = TracedFunction.of(EagerOverheadBench::rnnByHand);
        Tensor[] in = {x, w, u, h0};
        double[][] ms = new double[4][rounds];
        for (int k = 0; k < 3; k++) {                 // warm-up
            rnn(in);
            converted.apply(in);
            traced.call(in);
            byHand.call(in);
        }
        for (int k = 0; k < rounds; k++) {
            ms[0][k] = time(() -> rnn(in));
            ms[1][k] = time(() -> converted.apply(in));
            ms[2][k] = time(() -> traced.call(in));
            ms[3][k] = time(() -> byHand.call(in));
        }
        String[] names = {"eager, as written", "eager, converted", "traced, converted (While)",
            "traced, Ops.whileLoop by hand"};
        for (int i = 0; i < 4; i++) {
            double[] s = ms[i].clone();
            Arrays.sort(s);
            System.out.printf("%-32s median %7.2f ms  range %7.2f-%7.2f ms (T=%d, %d rounds of 20 calls)%n",
                    names[i], s[s.length / 2], s[0], s[s.length - 1], steps, rounds);
        }
    }

    /** The seed's RNN over the tensor length of x, with a plain Java for loop on a tensor condition. */
    static Tensor[] rnn(Tensor[] a) {
        Tensor h = a[3];
        Tensor steps = Ops.shape(a[0]).gather(new int[] {0}, 0).reshape();
        for (Tensor t = Tensors.scalar(0); t.less(steps).booleanValue(); t = t.add(1)) {
            h = Ops.tanh(Ops.matmul(Ops.gather(a[0], t), a[1]).add(Ops.matmul(h, a[2])));
        }
        return new Tensor[] {h};
    }

    /** The same loop written with Ops.whileLoop. */
    static Tensor[] rnnByHand(Tensor[] a) {
        Tensor steps = Ops.shape(a[0]).gather(new int[] {0}, 0).reshape();
        return new Tensor[] {Ops.whileLoop(v -> v[0].less(steps), v -> new Tensor[] {v[0].add(1),
                Ops.tanh(Ops.matmul(Ops.gather(a[0], v[0]), a[1]).add(Ops.matmul(v[1], a[2])))},
                new Tensor[] {Tensors.scalar(0), a[3]})[1]};
    }

    private static double time(Runnable call) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) call.run();
        return (System.nanoTime() - t0) / 1e6 / 20;
    }

    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 0.3);
        return Tensors.of(v, shape);
    }
}
