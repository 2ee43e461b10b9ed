package org.nabla.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * Generators: signal windows, computed at import time, and random samples. The random ones are stateful rules, never
 * folded at import time; a node's seed attribute fixes their values, and without one the importer draws a seed, so
 * each import differs (and each run of one import repeats its values).
 */
final class GeneratorRules {
    private GeneratorRules() {}

    static void register(OnnxOperators r) {
        r.statefulRule("RandomNormal", n -> List.of(normal(n, n.attrInts("shape", null), dtype(n, null))));
        r.statefulRule("RandomUniform", n -> List.of(uniform(n, n.attrInts("shape", null), dtype(n, null))));
        r.statefulRule("RandomNormalLike", n -> List.of(normal(n, shapeOf(n), dtype(n, n.required(0).dtype()))));
        r.statefulRule("RandomUniformLike", n -> List.of(uniform(n, shapeOf(n), dtype(n, n.required(0).dtype()))));
        r.statefulRule("Bernoulli", n -> List.of(bernoulli(n)));
        r.one("HannWindow", n -> window(n, 0.5, 0.5, 0));
        r.one("HammingWindow", n -> window(n, 25.0 / 46, 21.0 / 46, 0));
        r.one("BlackmanWindow", n -> window(n, 0.42, 0.5, 0.08));
    }

    /**
     * The generalized cosine window a0 - a1 cos(2 pi k / N) + a2 cos(4 pi k / N) for k < size, with N = size for a
     * periodic window (the default) and size - 1 for a symmetric one. Computed at import time from the known size.
     */
    private static Tensor window(OnnxNode n, double a0, double a1, double a2) {
        long size = n.constant(0).longValue();
        if (size < 0) throw n.error("size must be >= 0, got " + size);
        double period = n.attrInt("periodic", 1) == 1 ? size : size - 1;
        double[] w = new double[(int) size];
        for (int k = 0; k < w.length; k++) {
            double t = period == 0 ? 0 : 2 * Math.PI * k / period;
            w[k] = a0 - a1 * Math.cos(t) + a2 * Math.cos(2 * t);
        }
        DType dtype = OnnxTypes.toDType((int) n.attrInt("output_datatype", 1), n.where() + " 'output_datatype'");
        return Ops.cast(Tensors.of(w, w.length), dtype);
    }

    /** 1 with the input's probability, else 0: a uniform sample below it. */
    private static Tensor bernoulli(OnnxNode n) {
        Tensor p = n.required(0);
        if (!p.dtype().isFloating()) throw n.error("probabilities must be float or double, got " + p.dtype());
        DType dtype = n.hasAttr("dtype") ? OnnxTypes.toDType((int) n.attrInt("dtype", 1), n.where() + " 'dtype'")
                : p.dtype();
        Tensor u = Ops.randomUniform(shapeOf(n), p.dtype(), 0, 1, seed(n));
        return Ops.cast(Ops.less(u, p), dtype);
    }

    private static Tensor normal(OnnxNode n, int[] shape, DType dtype) {
        return Ops.randomNormal(checked(n, shape), dtype, n.attrFloat("mean", 0), n.attrFloat("scale", 1), seed(n));
    }

    private static Tensor uniform(OnnxNode n, int[] shape, DType dtype) {
        return Ops.randomUniform(checked(n, shape), dtype, n.attrFloat("low", 0), n.attrFloat("high", 1), seed(n));
    }

    /** The dtype attribute (float by default, or the input's for the Like forms); Nabla samples floats. */
    private static DType dtype(OnnxNode n, DType dflt) {
        DType d = n.hasAttr("dtype") || dflt == null
                ? OnnxTypes.toDType((int) n.attrInt("dtype", 1), n.where() + " 'dtype'") : dflt;
        if (!d.isFloating()) throw n.unsupported("samples of type " + d + " (Nabla samples float and double)");
        return d;
    }

    private static int[] shapeOf(OnnxNode n) {
        Tensor x = n.required(0);
        int[] dims = new int[x.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = NnRules.knownDim(n, x, i);
        return dims;
    }

    private static int[] checked(OnnxNode n, int[] shape) {
        if (shape == null) throw n.error("needs the shape attribute");
        for (int d : shape) {
            if (d < 0) throw n.error("shape " + Arrays.toString(shape) + " has a negative dimension");
        }
        return shape;
    }

    /** ONNX's float seed, or a fresh one. */
    private static long seed(OnnxNode n) {
        if (!n.hasAttr("seed")) return ThreadLocalRandom.current().nextLong();
        return Double.doubleToLongBits(n.attrFloat("seed", 0));
    }
}
