package org.nabla.nn.mixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nabla.nn.KerasReference.floats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.io.Json;
import org.nabla.nn.DTypePolicy;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.optimizers.LossScaleOptimizer;
import org.nabla.nn.optimizers.SGD;

/**
 * Mixed precision against Keras 3.15 (JAX backend), from {@code scripts/references/keras_mixed_precision_reference.py}:
 * a Dense layer under mixed_float16 and mixed_bfloat16 (16-bit output, float32 gradients of float32 weights), and the
 * LossScaleOptimizer's scale, counter, iterations and variable over a sequence of finite and non-finite gradients,
 * eagerly and in a traced step.
 */
class MixedPrecisionKerasTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> reference() throws IOException {
        try (InputStream in = MixedPrecisionKerasTest.class.getResourceAsStream("/keras/mixed_precision.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Within {@code ulps} units in the last place of a 16-bit {@code dtype} value as large as the largest expected
     * element (a sum of 16-bit terms that cancel carries the rounding of its terms, not of its result).
     */
    private static void assertNear(String what, float[] expected, float[] actual, DType dtype, double ulps) {
        assertEquals(expected.length, actual.length, what);
        double eps = dtype == DType.FLOAT16 ? 0x1p-10 : 0x1p-7;
        double scale = 1e-3;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], ulps * eps * scale, what + " at " + i);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void denseMatchesKerasUnderBothMixedPolicies() throws IOException {
        Map<String, Object> d = (Map<String, Object>) reference().get("dense");
        Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(3, 5), floats(d.get("x")));
        Tensor kernel = Tensor.wrap(DType.FLOAT32, Shape.of(5, 4), floats(d.get("kernel")));
        Tensor bias = Tensor.wrap(DType.FLOAT32, Shape.of(4), floats(d.get("bias")));
        Tensor w = Tensor.wrap(DType.FLOAT32, Shape.of(3, 4), floats(d.get("weights")));
        for (Object o : (List<Object>) d.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            DTypePolicy policy = DTypePolicy.of((String) c.get("policy"));
            String activation = (String) c.get("activation");
            String label = policy + " " + activation;
            Dense dense = (Dense) new Dense(4, activation).dtypePolicy(policy);
            dense.build(Shape.of(-1, 5));
            dense.kernel().assign(kernel);
            dense.bias().assign(bias);
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                Tensor y = dense.call(x);
                assertEquals(DType.of((String) c.get("out_dtype")), y.dtype(), label + " output dtype");
                // same computation and roundings as Keras: the 16-bit outputs agree to the bit or one ulp
                assertNear(label + " output", floats(c.get("out")), y.toFloatArray(), policy.computeDType(), 1);
                Tensor loss = Ops.sum(Ops.mul(Ops.cast(y, DType.FLOAT32), w));
                Tensor[] g = tape.gradient(loss, dense.kernel(), dense.bias(), x);
                assertEquals(DType.FLOAT32, g[0].dtype(), label + ": gradients of float32 weights are float32");
                assertNear(label + " grad kernel", floats(c.get("grad_kernel")), g[0].toFloatArray(),
                        policy.computeDType(), 2);
                assertNear(label + " grad bias", floats(c.get("grad_bias")), g[1].toFloatArray(),
                        policy.computeDType(), 2);
                assertNear(label + " grad x", floats(c.get("grad_x")), g[2].toFloatArray(), policy.computeDType(), 2);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("unchecked")
    void lossScaleOptimizerFollowsKerasScaleSequence(boolean traced) throws IOException {
        Map<String, Object> ls = (Map<String, Object>) reference().get("loss_scale");
        Variable var = Variable.of("v", Tensors.of(floats(ls.get("initial"))), true);
        LossScaleOptimizer opt = new LossScaleOptimizer(new SGD(((Number) ls.get("learning_rate")).doubleValue()),
                ((Number) ls.get("initial_scale")).doubleValue(), ((Number) ls.get("growth_steps")).intValue());
        TracedFunction step = TracedFunction.unary(g -> {
            opt.applyGradients(List.of(g), List.of(var));
            return Ops.identity(opt.lossScaleVariable().read());
        });
        int i = 0;
        for (Object o : (List<Object>) ls.get("steps")) {
            Map<String, Object> s = (Map<String, Object>) o;
            float[] g = floats(s.get("unscaled"));
            for (int k = 0; k < g.length; k++) g[k] *= (float) opt.lossScale();
            if (s.get("kind").equals("inf")) g[0] = Float.POSITIVE_INFINITY;
            if (s.get("kind").equals("nan")) g[1] = Float.NaN;
            if (traced) step.apply(Tensors.of(g));
            else opt.applyGradients(List.of(Tensors.of(g)), List.of(var));
            String at = "step " + i++ + " (" + s.get("kind") + ")";
            assertEquals(((Number) s.get("scale")).doubleValue(), opt.lossScale(), at + " scale");
            assertEquals(((Number) s.get("counter")).longValue(), opt.stepCounter().read().longValue(), at + " counter");
            assertEquals(((Number) s.get("iterations")).longValue(), opt.step(), at + " iterations");
            float[] v = var.read().toFloatArray();
            float[] expected = floats(s.get("var"));
            for (int k = 0; k < v.length; k++) assertEquals(expected[k], v[k], 1e-6, at + " var " + k);
        }
    }

    @Test
    void checkpointsKeepSixteenBitTensors() throws IOException {
        Tensor h = Ops.convertToTensor(new float[] {1.5f, -0f, Float.NaN, 65504f}, DType.FLOAT16);
        Tensor b = Ops.convertToTensor(new float[] {3e38f, 1e-40f}, DType.BFLOAT16);
        Map<String, Tensor> back = org.nabla.nn.saving.Checkpoint.fromBytes(
                org.nabla.nn.saving.Checkpoint.toBytes(Map.of("h", h, "b", b)), "test");
        assertEquals(DType.FLOAT16, back.get("h").dtype());
        assertEquals(DType.BFLOAT16, back.get("b").dtype());
        org.junit.jupiter.api.Assertions.assertArrayEquals(h.toShortArray(), back.get("h").toShortArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(b.toShortArray(), back.get("b").toShortArray());
    }

    @Test
    void scaleLossMultipliesByTheScale() {
        LossScaleOptimizer opt = new LossScaleOptimizer(new SGD(0.1));
        assertEquals(32768.0, opt.lossScale());
        assertEquals(2 * 32768f, opt.scaleLoss(Tensors.scalar(2f)).floatValue());
        assertEquals(3f, new SGD(0.1).scaleLoss(Tensors.scalar(3f)).floatValue());
    }
}
