package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.FuncGraph;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.ops.TensorSpec;

/**
 * Checks one export against ONNX Runtime: traces a function on the inputs' specs, exports it, runs the ONNX model in
 * ONNX Runtime (which fails the test if it rejects the model) and compares with the same function run eagerly.
 * Floats must agree within 1e-5 relative plus 1e-6 absolute (float32) or 1e-12 (float64); ints and bools exactly.
 */
final class ExportCheck {
    private ExportCheck() {}

    static ModelProto check(String what, Function<Tensor[], Tensor[]> body, Tensor... inputs) {
        return check(what, body, specs(inputs), inputs);
    }

    /** With explicit input specs, e.g. with unknown dimensions. */
    static ModelProto check(String what, Function<Tensor[], Tensor[]> body, List<TensorSpec> specs,
                            Tensor... inputs) {
        return check(what, body, body, specs, inputs);
    }

    /** With the expected values computed by {@code reference} (for ops whose ONNX meaning is the inference one). */
    static ModelProto check(String what, Function<Tensor[], Tensor[]> body, Function<Tensor[], Tensor[]> reference,
                            List<TensorSpec> specs, Tensor... inputs) {
        FuncGraph f = FuncGraph.trace(what, specs, body);
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) in.add("x" + i);
        for (int i = 0; i < f.results().size(); i++) out.add("y" + i);
        ModelProto m = OnnxExporter.export(f, in, out, Map.of());
        Tensor[] expected = reference.apply(inputs);
        Tensor[] actual;
        try {
            actual = Ort.run(m, inputs);
        } catch (ai.onnxruntime.OrtException e) {
            throw new AssertionError(what + ": ONNX Runtime rejects the exported model: " + e.getMessage() + "\n"
                    + m.getGraph().getNodeList(), e);
        }
        assertEquals(expected.length, actual.length, what + ": number of outputs");
        for (int i = 0; i < expected.length; i++) {
            boolean f32 = expected[i].dtype() == DType.FLOAT32, f64 = expected[i].dtype() == DType.FLOAT64;
            double rtol = f32 ? 1e-5 : f64 ? 1e-12 : 0, atol = f32 ? 1e-6 : f64 ? 1e-12 : 0;
            if (expected[i].dtype().isHalfPrecision()) { // one unit in the last place of the 16-bit dtype
                rtol = expected[i].dtype() == DType.FLOAT16 ? 0x1p-10 : 0x1p-7;
                atol = 1e-7;
            }
            Ort.assertClose(what + " output " + i, expected[i], actual[i], rtol, atol);
        }
        return m;
    }

    static List<TensorSpec> specs(Tensor... inputs) {
        List<TensorSpec> l = new ArrayList<>();
        for (Tensor t : inputs) l.add(t.spec());
        return l;
    }

    /** Uniform floats in [lo, hi) of {@code dtype} (float32 or float64). */
    static Tensor random(DType dtype, long seed, double lo, double hi, int... shape) {
        Random r = new Random(seed);
        int n = (int) Shape.of(shape).size();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        Tensor t = Tensor.wrap(DType.FLOAT64, Shape.of(shape), v);
        return dtype == DType.FLOAT64 ? t : t.cast(dtype);
    }

    static Tensor random(long seed, int... shape) { return random(DType.FLOAT32, seed, -2, 2, shape); }

    static Tensor floats(int[] shape, float... v) { return Tensor.wrap(DType.FLOAT32, Shape.of(shape), v); }

    static Tensor ints(int[] shape, int... v) { return Tensor.wrap(DType.INT32, Shape.of(shape), v); }

    static Tensor bools(int[] shape, boolean... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (v[i] ? 1 : 0);
        return Tensor.wrap(DType.BOOL, Shape.of(shape), b);
    }

    static Tensor[] one(Tensor t) { return new Tensor[] {t}; }
}
