package org.nabla.onnx;

import java.util.Locale;
import java.util.Set;
import org.nabla.Tensor;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.NodeProto;

/**
 * How the conformance runner compares the outputs of random operators: their values depend on the generator, which
 * ONNX leaves to each implementation, so only the dtype, the shape, the support (0/1 samples stay 0/1) and the sample
 * mean are compared. The means must agree within five standard errors of their difference (a two-sample z test).
 */
final class RandomComparison {
    /** ONNX's operators that draw random numbers. */
    static final Set<String> RANDOM_OPERATORS = Set.of("Bernoulli", "RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "Multinomial");

    private RandomComparison() {}

    /** Whether the graph (sub-graphs included) has a random operator, or a Dropout given a training_mode input. */
    static boolean isRandom(GraphProto graph) {
        for (NodeProto node : graph.getNodeList()) {
            if (RANDOM_OPERATORS.contains(node.getOpType())) return true;
            if (node.getOpType().equals("Dropout") && node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
                return true;
            }
            for (var a : node.getAttributeList()) {
                if (a.hasG() && isRandom(a.getG())) return true;
                for (GraphProto g : a.getGraphsList()) if (isRandom(g)) return true;
            }
        }
        return false;
    }

    /** Null when {@code actual} could come from the distribution {@code expected} was drawn from, else why not. */
    static String compare(Tensor expected, Tensor actual) {
        if (actual.dtype() != expected.dtype()) return "dtype " + actual.dtype() + ", expected " + expected.dtype();
        if (!actual.shape().equals(expected.shape())) {
            return "shape " + actual.shape() + ", expected " + expected.shape();
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        if (e.length == 0) return null;
        if (isBinary(e) && !isBinary(a)) return "samples other than 0 and 1, where ONNX's are all 0 or 1";
        double[] me = moments(e), ma = moments(a);
        double tolerance = 5 * Math.sqrt((me[1] + ma[1]) / e.length) + OnnxConformance.ATOL;
        if (!(Math.abs(me[0] - ma[0]) <= tolerance)) {
            return String.format(Locale.ROOT, "sample mean %.4g, ONNX's %.4g (allowed difference %.3g)", ma[0], me[0],
                    tolerance);
        }
        return null;
    }

    /** The two sample means, for the report. */
    static String describe(Tensor expected, Tensor actual) {
        return String.format(Locale.ROOT, "%d samples, mean %.4g, ONNX's %.4g", expected.shape().size(),
                moments(actual.toDoubleArray())[0], moments(expected.toDoubleArray())[0]);
    }

    private static boolean isBinary(double[] v) {
        for (double x : v) if (x != 0 && x != 1) return false;
        return true;
    }

    /** Mean and (population) variance. */
    private static double[] moments(double[] v) {
        if (v.length == 0) return new double[] {0, 0};
        double mean = 0, sq = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        for (double x : v) sq += (x - mean) * (x - mean);
        return new double[] {mean, sq / v.length};
    }
}
