package org.nabla.examples;

import java.io.PrintStream;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;

/**
 * An eager training loop (multi-output least squares by gradient descent, with a GradientTape) run twice: plainly,
 * and with each step inside a {@link TensorScope}, which releases the step's intermediates when it closes so that the
 * next step computes into their buffers while they are still in the CPU caches. Both runs give the same weights;
 * the scoped one is faster. See docs/design.md (Eager memory).
 *
 * <p>Run with {@code scripts/example.sh EagerLoopWithScopes [samples] [features] [outputs] [steps]}.
 */
public final class EagerLoopWithScopes {
    private EagerLoopWithScopes() {}

    /** The weights after training and the loss of each step. */
    record Result(float[] weights, float[] losses, double msPerStep) {}

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int outputs = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        run(System.out, samples, features, outputs, steps);
    }

    static void run(PrintStream out, int samples, int features, int outputs, int steps) {
        Tensor x = Ops.randomNormal(new int[] {samples, features}, DType.FLOAT32, 0, 1, 1);
        Tensor trueW = Ops.randomNormal(new int[] {features, outputs}, DType.FLOAT32, 0, 1, 2);
        Tensor y = Ops.matmul(x, trueW);
        train(x, y, 5, false); // warm up the JIT for both runs
        train(x, y, 5, true);
        Result plain = train(x, y, steps, false);
        Result scoped = train(x, y, steps, true);
        out.printf("least squares, %d samples x %d features -> %d outputs, %d steps of gradient descent%n", samples,
                features, outputs, steps);
        out.printf("loss: %.4f -> %.6f%n", plain.losses()[0], plain.losses()[steps - 1]);
        out.printf("plain eager loop:           %.3f ms/step%n", plain.msPerStep());
        out.printf("one TensorScope per step:   %.3f ms/step%n", scoped.msPerStep());
        out.println("same weights: " + java.util.Arrays.equals(plain.weights(), scoped.weights()));
    }

    /** Gradient descent on the mean over samples of |x w - y|^2 from w = 0, each step optionally in its own scope. */
    static Result train(Tensor x, Tensor y, int steps, boolean scoped) {
        Variable w = Variable.of(Ops.zeros(DType.FLOAT32, x.shape().dim(1), y.shape().dim(1)));
        float[] losses = new float[steps];
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            TensorScope scope = scoped ? TensorScope.open() : null;
            try {
                losses[s] = step(x, y, w);
            } finally {
                if (scope != null) scope.close();
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        return new Result(w.read().toFloatArray(), losses, ms);
    }

    private static float step(Tensor x, Tensor y, Variable w) {
        Tensor loss;
        List<Tensor> grads;
        try (GradientTape tape = new GradientTape()) {
            Tensor error = Ops.sub(Ops.matmul(x, w.read()), y);   // [samples, outputs]
            loss = Ops.mean(Ops.sum(Ops.square(error), 1));
            grads = tape.gradient(loss, List.of(w));
        }
        w.assignSub(Ops.mul(grads.get(0), 0.2f));                // the new value survives the scope
        return loss.floatValue();
    }
}
