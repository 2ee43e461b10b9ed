package org.nabla.complex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientTape;
import org.nabla.io.Json;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;
import org.nabla.storage.ComplexParts;

/**
 * Complex ops and the FFT family against NumPy 2.4, and gradients of real losses of complex inputs against PyTorch
 * 2.13's autograd (the values of {@code scripts/references/complex_reference.py}, checked in). Every value case runs
 * eagerly and traced into a graph; every gradient case eagerly, traced, and against central finite differences that
 * perturb the real and imaginary parts separately (dL/dx + i dL/dy, TensorFlow's convention).
 */
class ComplexReferenceTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> reference() throws IOException {
        try (InputStream in = ComplexReferenceTest.class.getResourceAsStream("/complex/complex_reference.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static double parseHex(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /** A tensor from the reference's {dtype, shape, values}: complex values interleaved. */
    @SuppressWarnings("unchecked")
    static Tensor tensor(Object json) {
        Map<String, Object> m = (Map<String, Object>) json;
        DType dtype = DType.of((String) m.get("dtype"));
        int[] shape = ((List<Object>) m.get("shape")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        double[] v = ((List<Object>) m.get("values")).stream().mapToDouble(o -> parseHex((String) o)).toArray();
        if (dtype.isComplex()) return Tensor.wrap(dtype, Shape.of(shape), ComplexParts.fromDoubles(dtype, v));
        return Ops.cast(Tensor.wrap(DType.FLOAT64, Shape.of(shape), v), dtype);
    }

    /** Values as doubles: complex interleaved, bool 0/1. */
    static double[] values(Tensor t) {
        return t.dtype().isComplex() ? t.toComplexArray() : t.toDoubleArray();
    }

    @SuppressWarnings("unchecked")
    private static Attrs attrs(Map<String, Object> json) {
        Attrs a = Attrs.EMPTY;
        for (Map.Entry<String, Object> e : json.entrySet()) {
            Object v = e.getValue();
            if (v instanceof List<?> l) v = l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            else if (e.getKey().equals("dtype")) v = DType.of((String) v);
            a = a.with(e.getKey(), v);
        }
        return a;
    }

    /** Relative to the size of the expected values: rounding once in float32, or float64 accumulation order. */
    static void assertClose(double[] expected, double[] actual, DType dtype, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double e : expected) if (Double.isFinite(e)) scale = Math.max(scale, Math.abs(e));
        boolean single = dtype == DType.COMPLEX64 || dtype == DType.FLOAT32;
        double tol = (single ? 2e-6 : 1e-12) * Math.max(1, scale);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) ? !Double.isNaN(a) : Double.isInfinite(e) ? e != a : Math.abs(e - a) > tol) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (tolerance " + tol + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> everyOpMatchesNumPyEagerlyAndTraced() throws IOException {
        List<Object> cases = (List<Object>) reference().get("values");
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            Map<String, Object> c = (Map<String, Object>) cases.get(k);
            OpDef op = OpRegistry.get((String) c.get("op"));
            Attrs attrs = attrs((Map<String, Object>) c.get("attrs"));
            Tensor[] inputs = ((List<Object>) c.get("inputs")).stream().map(ComplexReferenceTest::tensor)
                    .toArray(Tensor[]::new);
            Tensor expected = tensor(c.get("output"));
            String name = k + " " + op.name() + " " + inputs[0].spec() + " " + c.get("attrs");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Tensor eager = Ops.run(op, attrs, inputs);
                assertEquals(expected.dtype(), eager.dtype(), name);
                assertEquals(expected.shape(), eager.shape(), name);
                assertClose(values(expected), values(eager), expected.dtype(), name + " eager");
                Tensor traced = TracedFunction.of(in -> new Tensor[] {Ops.run(op, attrs, in)}).call(inputs)[0];
                assertClose(values(expected), values(traced), expected.dtype(), name + " traced");
            }));
        }
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> printingMatchesNumPy() throws IOException {
        List<Object> cases = (List<Object>) reference().get("printing");
        return cases.stream().map(o -> (Map<String, Object>) o).map(c -> {
            Tensor t = tensor(c.get("tensor"));
            String str = (String) c.get("str");
            String expected = "tf.Tensor(" + (str.contains("\n") ? "\n" : "") + str + ", shape=" + t.shape()
                    + ", dtype=" + t.dtype() + ")";
            return DynamicTest.dynamicTest(str, () -> assertEquals(expected, t.toString()));
        });
    }

    /** The losses of the reference's gradient cases, written with Nabla's ops. */
    static Tensor loss(String name, Tensor[] in) {
        Tensor a = in[0], b = in.length > 1 ? in[1] : null;
        return switch (name) {
            case "sum_abs" -> Ops.sum(Ops.abs(a));
            case "sum_real_mul" -> Ops.sum(Ops.real(Ops.mul(a, b)));
            case "sum_abs_mul_broadcast" -> Ops.sum(Ops.abs(Ops.mul(a, b)));
            case "sum_abs_div" -> Ops.sum(Ops.abs(Ops.div(a, b)));
            case "sum_imag_exp" -> Ops.sum(Ops.imag(Ops.exp(a)));
            case "sum_abs_log" -> Ops.sum(Ops.abs(Ops.log(a)));
            case "sum_real_sqrt" -> Ops.sum(Ops.real(Ops.sqrt(a)));
            case "sum_angle" -> Ops.sum(Ops.angle(a));
            case "sum_real_square_conj" -> Ops.sum(Ops.real(Ops.mul(Ops.square(a), Ops.conj(a))));
            case "sum_abs_neg_sub_add" -> Ops.sum(Ops.abs(Ops.add(Ops.neg(Ops.sub(a, b)), Ops.mul(a, a))));
            case "sum_abs_complex" -> Ops.sum(Ops.abs(Ops.complex(a, b)));
            case "sum_real_times_r_plus_imag" -> Ops.add(Ops.sum(Ops.mul(Ops.real(a), b)),
                    Ops.sum(Ops.mul(Ops.imag(a), Ops.imag(a))));
            case "sum_abs_matmul" -> Ops.sum(Ops.abs(Ops.matmul(a, b)));
            case "sum_abs_prod" -> Ops.sum(Ops.abs(Ops.prod(a, false, 1)));
            case "abs_mean" -> Ops.abs(Ops.mean(Ops.mul(a, a)));
            case "sum_abs_cast_mul" -> Ops.sum(Ops.abs(Ops.mul(Ops.cast(a, DType.COMPLEX128), b)));
            case "sum_abs_fft" -> Ops.sum(Ops.abs(Ops.fft(a)));
            case "sum_abs_ifft" -> Ops.sum(Ops.abs(Ops.ifft(a)));
            case "sum_abs_rfft" -> Ops.sum(Ops.abs(Ops.rfft(a)));
            case "sum_abs_fft2d" -> Ops.sum(Ops.abs(Ops.fft2d(a)));
            case "sum_abs_ifft2d" -> Ops.sum(Ops.abs(Ops.ifft2d(a)));
            case "sum_abs_rfft2d" -> Ops.sum(Ops.abs(Ops.rfft2d(a)));
            case "sum_abs_rfft_n8" -> Ops.sum(Ops.abs(Ops.rfft(a, 8)));
            case "sum_abs_rfft_n4" -> Ops.sum(Ops.abs(Ops.rfft(a, 4)));
            case "sum_weighted_irfft_n8" -> Ops.sum(Ops.mul(Ops.irfft(a, 8), b));
            case "sum_weighted_irfft_n9" -> Ops.sum(Ops.mul(Ops.irfft(a, 9), b));
            case "sum_weighted_irfft_n6" -> Ops.sum(Ops.mul(Ops.irfft(a, 6), b));
            case "sum_weighted_irfft2d" -> Ops.sum(Ops.mul(Ops.irfft2d(a), b));
            default -> throw new IllegalArgumentException("no loss named " + name);
        };
    }

    static Tensor[] gradients(String name, Tensor[] in) {
        try (GradientTape tape = new GradientTape()) {
            for (Tensor t : in) tape.watch(t);
            return tape.gradient(loss(name, in), (Object[]) in);
        }
    }

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> gradientsMatchPyTorchAndFiniteDifferences() throws IOException {
        List<Object> cases = (List<Object>) reference().get("gradients");
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            Map<String, Object> c = (Map<String, Object>) cases.get(k);
            String loss = (String) c.get("loss");
            Tensor[] inputs = ((List<Object>) c.get("inputs")).stream().map(ComplexReferenceTest::tensor)
                    .toArray(Tensor[]::new);
            Tensor[] expected = ((List<Object>) c.get("grads")).stream().map(ComplexReferenceTest::tensor)
                    .toArray(Tensor[]::new);
            double value = parseHex((String) c.get("value"));
            tests.add(DynamicTest.dynamicTest(k + " " + loss, () -> {
                assertEquals(value, loss(loss, inputs).doubleValue(), 1e-9 * Math.max(1, Math.abs(value)), loss);
                Tensor[] eager = gradients(loss, inputs);
                Tensor[] traced = TracedFunction.of(in -> gradients(loss, in)).call(inputs);
                for (int i = 0; i < inputs.length; i++) {
                    assertEquals(inputs[i].dtype(), eager[i].dtype(), loss + " gradient dtype");
                    assertClose(values(expected[i]), values(eager[i]), DType.COMPLEX128, loss + " eager input " + i);
                    assertClose(values(expected[i]), values(traced[i]), DType.COMPLEX128, loss + " traced input "
                            + i);
                    assertFiniteDifferences(loss, inputs, i, values(eager[i]));
                }
            }));
        }
        return tests.stream();
    }

    /** Central differences of the loss in each real and each imaginary part of input {@code i}. */
    private static void assertFiniteDifferences(String loss, Tensor[] inputs, int i, double[] grad) {
        Tensor x = inputs[i];
        double[] parts = values(x);
        double h = 1e-6;
        double[] numeric = new double[parts.length];
        for (int p = 0; p < parts.length; p++) {
            double keep = parts[p];
            parts[p] = keep + h;
            double up = loss(loss, with(inputs, i, rebuild(x, parts))).doubleValue();
            parts[p] = keep - h;
            double down = loss(loss, with(inputs, i, rebuild(x, parts))).doubleValue();
            parts[p] = keep;
            numeric[p] = (up - down) / (2 * h);
        }
        for (int p = 0; p < parts.length; p++) {
            assertEquals(numeric[p], grad[p], 1e-6 * Math.max(1, Math.abs(numeric[p])),
                    loss + " input " + i + " finite difference of part " + p);
        }
    }

    private static Tensor rebuild(Tensor like, double[] parts) {
        if (like.dtype().isComplex()) {
            return Tensor.wrap(like.dtype(), like.shape(), ComplexParts.fromDoubles(like.dtype(), parts.clone()));
        }
        return Tensor.wrap(DType.FLOAT64, like.shape(), parts.clone());
    }

    private static Tensor[] with(Tensor[] inputs, int i, Tensor x) {
        Tensor[] out = inputs.clone();
        out[i] = x;
        return out;
    }

}
