package org.nabla.onnx;

import static org.nabla.onnx.OnnxOperators.statefulRule;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Random generators. They are stateful rules, never folded at import time. A node's seed attribute fixes its values;
 * without one the importer draws a seed, so each import differs (and each run of one import repeats its values).
 */
final class GeneratorRules {
    private GeneratorRules() {}

    static void register() {
        statefulRule("RandomNormal", n -> List.of(normal(n, n.attrInts("shape", null), dtype(n, null))));
        statefulRule("RandomUniform", n -> List.of(uniform(n, n.attrInts("shape", null), dtype(n, null))));
        statefulRule("RandomNormalLike", n -> List.of(normal(n, shapeOf(n), dtype(n, n.required(0).dtype()))));
        statefulRule("RandomUniformLike", n -> List.of(uniform(n, shapeOf(n), dtype(n, n.required(0).dtype()))));
        statefulRule("Bernoulli", n -> List.of(bernoulli(n)));
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
        for (int d : shape) if (d < 0) throw n.error("shape " + java.util.Arrays.toString(shape) + " has a negative "
                + "dimension");
        return shape;
    }

    /** ONNX's float seed, or a fresh one. */
    private static long seed(OnnxNode n) {
        if (!n.hasAttr("seed")) return ThreadLocalRandom.current().nextLong();
        return Double.doubleToLongBits(n.attrFloat("seed", 0));
    }
}
