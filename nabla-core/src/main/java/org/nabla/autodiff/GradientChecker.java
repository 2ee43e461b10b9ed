package org.nabla.autodiff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/**
 * Checks gradients against central finite differences in float64 (PyTorch's gradcheck, JAX's check_grads). The
 * function under test maps tensors to tensors; its floating-point inputs are differentiated, the others (indices)
 * held fixed. Its outputs are folded into the scalar L = sum_k sum(w_k * y_k) with fixed random weights w_k, and
 * dL/dx from the gradient machinery (a {@link GradientTape} eagerly, or {@link Gradients#gradients} on a graph run by
 * the {@link SerialExecutor}) is compared with (L(x + h e_j) - L(x - h e_j)) / 2h for every element j.
 */
public final class GradientChecker {
    private GradientChecker() {}

    /**
     * Where the analytic gradient is computed: eagerly on a tape, or in a graph whose placeholders have the inputs'
     * shapes (GRAPH) or only their ranks, every dimension unknown (GRAPH_UNKNOWN_DIMS: rules must use runtime shapes).
     */
    public enum Mode { EAGER, GRAPH, GRAPH_UNKNOWN_DIMS }

    /**
     * The worst disagreement found for one input: {@code maxError} is max_j |analytic_j - numeric_j| / max(1,
     * |numeric_j|), an absolute error for small derivatives and a relative one for large ones.
     */
    public record InputError(int input, double maxError, int worstElement, double analytic, double numeric) {}

    /** The result of one check: the name of what was checked and one entry per differentiated input. */
    public record Report(String name, Mode mode, List<InputError> errors) {
        public double maxError() { return errors.stream().mapToDouble(InputError::maxError).max().orElse(0); }

        public boolean ok(double tolerance) { return maxError() <= tolerance; }

        /** Throws an AssertionError naming what was checked, the mode, the input and the worst element. */
        public void assertOk(double tolerance) {
            if (!ok(tolerance)) throw new AssertionError(this + "\n  tolerance " + tolerance);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("gradient check of " + name + " (" + mode + "):");
            for (InputError e : errors) {
                sb.append(String.format("%n  input %d: max error %.3g at element %d (analytic %.10g, numeric %.10g)",
                        e.input, e.maxError, e.worstElement, e.analytic, e.numeric));
            }
            return sb.toString();
        }
    }

    private static final double STEP = 1e-6;

    /** Checks the first derivative of {@code f} at {@code inputs}. */
    public static Report check(String name, Function<Tensor[], Tensor[]> f, Mode mode, Tensor... inputs) {
        Tensor[] x = inputs.clone();
        Tensor[] weights = weights(f.apply(x));
        Tensor[] analytic = mode == Mode.EAGER ? eagerGradient(f, weights, x)
                : graphGradient(f, weights, x, mode == Mode.GRAPH_UNKNOWN_DIMS);
        List<InputError> errors = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!x[i].dtype().isFloating()) continue;
            double[] a = analytic[i] == null ? new double[(int) x[i].size()] : analytic[i].toDoubleArray();
            double[] base = x[i].toDoubleArray();
            double worstError = 0, worstA = 0, worstN = 0;
            int worst = -1;
            for (int j = 0; j < base.length; j++) {
                double h = STEP * Math.max(1, Math.abs(base[j]));
                double plus = loss(f, weights, perturbed(x, i, base, j, base[j] + h));
                double minus = loss(f, weights, perturbed(x, i, base, j, base[j] - h));
                double numeric = (plus - minus) / (2 * h);
                double error = Math.abs(a[j] - numeric) / Math.max(1, Math.abs(numeric));
                if (worst < 0 || error > worstError || Double.isNaN(error)) {
                    worst = j;
                    worstError = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                    worstA = a[j];
                    worstN = numeric;
                }
            }
            errors.add(new InputError(i, worstError, worst, worstA, worstN));
        }
        return new Report(name, mode, errors);
    }

    /** Checks the second derivative: the gradient of x -> dL/dx (computed with the same machinery) of {@code f}. */
    public static Report checkSecondOrder(String name, Function<Tensor[], Tensor[]> f, Mode mode, Tensor... inputs) {
        Tensor[] weights = weights(f.apply(inputs.clone()));
        return check(name + " (second order)", x -> firstDerivative(f, weights, x), mode, inputs);
    }

    /** dL/dx for the floating inputs (zeros where unconnected), eagerly or in the graph the inputs belong to. */
    static Tensor[] firstDerivative(Function<Tensor[], Tensor[]> f, Tensor[] weights, Tensor[] x) {
        List<Tensor> floats = new ArrayList<>();
        for (Tensor t : x) if (t.dtype().isFloating()) floats.add(t);
        Tensor[] grads;
        if (x.length > 0 && x[0].isSymbolic()) {
            Tensor l = lossTensor(f.apply(x), weights);
            grads = Gradients.gradients(List.of(l), floats).toArray(Tensor[]::new);
        } else {
            try (GradientTape tape = new GradientTape()) {
                for (Tensor t : floats) tape.watch(t);
                Tensor l = lossTensor(f.apply(x), weights);
                grads = tape.gradient(l, floats.toArray());
            }
        }
        for (int i = 0; i < grads.length; i++) if (grads[i] == null) grads[i] = Ops.zerosLike(floats.get(i));
        return grads;
    }

    private static Tensor[] eagerGradient(Function<Tensor[], Tensor[]> f, Tensor[] weights, Tensor[] x) {
        return spread(x, firstDerivative(f, weights, x));
    }

    private static Tensor[] graphGradient(Function<Tensor[], Tensor[]> f, Tensor[] weights, Tensor[] x,
                                          boolean unknownDims) {
        Graph g = new Graph();
        Tensor[] params = new Tensor[x.length];
        Map<Output, Tensor> feeds = new HashMap<>();
        List<Output> fetches = new ArrayList<>();
        try (var scope = g.asDefault()) {
            for (int i = 0; i < x.length; i++) {
                if (x[i].dtype().isFloating()) {
                    int[] dims = x[i].shape().dims();
                    if (unknownDims) java.util.Arrays.fill(dims, -1);
                    params[i] = g.placeholder("x" + i, x[i].dtype(), org.nabla.Shape.of(dims));
                    feeds.put(g.outputOf(params[i]), x[i]);
                } else {
                    params[i] = Ops.constant(x[i]);
                }
            }
            Tensor[] grads = firstDerivative(f, weights, params);
            for (Tensor t : grads) fetches.add(g.outputOf(t));
        }
        List<Tensor> values = SerialExecutor.run(g, feeds, fetches, List.of());
        return spread(x, values.toArray(Tensor[]::new));
    }

    /** Gradients of the floating inputs placed at their input positions. */
    private static Tensor[] spread(Tensor[] x, Tensor[] floatGrads) {
        Tensor[] out = new Tensor[x.length];
        for (int i = 0, k = 0; i < x.length; i++) if (x[i].dtype().isFloating()) out[i] = floatGrads[k++];
        return out;
    }

    /** Fixed pseudo-random weights in [0.5, 1.5) (never 0), one tensor per floating output, null for the others. */
    private static Tensor[] weights(Tensor[] ys) {
        SplittableRandom random = new SplittableRandom(42);
        Tensor[] w = new Tensor[ys.length];
        for (int k = 0; k < ys.length; k++) {
            if (!ys[k].dtype().isFloating()) continue;
            double[] v = new double[(int) ys[k].size()];
            for (int j = 0; j < v.length; j++) v[j] = 0.5 + random.nextDouble();
            w[k] = Ops.cast(Tensor.wrap(DType.FLOAT64, ys[k].shape(), v), ys[k].dtype());
        }
        return w;
    }

    private static Tensor lossTensor(Tensor[] ys, Tensor[] weights) {
        Tensor l = null;
        for (int k = 0; k < ys.length; k++) {
            if (weights[k] == null) continue;
            Tensor term = Ops.cast(Ops.sum(Ops.mul(ys[k], weights[k])), DType.FLOAT64);
            l = l == null ? term : Ops.add(l, term);
        }
        if (l == null) throw new IllegalArgumentException("the function has no floating-point output");
        return l;
    }

    private static double loss(Function<Tensor[], Tensor[]> f, Tensor[] weights, Tensor[] x) {
        return lossTensor(f.apply(x), weights).doubleValue();
    }

    private static Tensor[] perturbed(Tensor[] x, int input, double[] base, int element, double value) {
        double[] v = base.clone();
        v[element] = value;
        Tensor[] out = x.clone();
        out[input] = Ops.cast(Tensor.wrap(DType.FLOAT64, x[input].shape(), v), x[input].dtype());
        return out;
    }

}
