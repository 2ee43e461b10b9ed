package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.nn.KerasReference.floats;
import static org.nabla.nn.KerasReference.ints;
import static org.nabla.nn.KerasReference.tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Input;
import org.nabla.nn.KerasReference;
import org.nabla.nn.KerasReference.Case;
import org.nabla.nn.Layer;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/**
 * The convolution family against Keras 3.15 (JAX backend, float32): Conv2D with dilation and groups,
 * Conv2DTranspose, Conv1DTranspose, DepthwiseConv2D, SeparableConv2D, Conv3D, MaxPooling3D and AveragePooling3D;
 * outputs and the gradients of a weighted sum with respect to the input and every weight, eagerly and traced with an
 * unknown batch size, and the saved model's prediction; from
 * {@code scripts/references/keras_conv_family_reference.py}'s output.
 */
class ConvFamilyKerasTest {
    @TempDir
    Path tmp;

    static Stream<Case> cases() {
        return KerasReference.cases("/keras/conv_family.json", m -> m.get("name") + " " + m.get("config"));
    }

    @SuppressWarnings("unchecked")
    static Layer layer(String name, Map<String, Object> c) {
        int filters = c.containsKey("filters") ? ((Number) c.get("filters")).intValue() : 0;
        String padding = (String) c.get("padding");
        int[] dil = c.get("dilation") instanceof List<?> l ? ints(l) : null;
        int[] str = c.get("strides") instanceof List<?> l ? ints(l) : null;
        int mult = c.containsKey("multiplier") ? ((Number) c.get("multiplier")).intValue() : 1;
        int groups = c.containsKey("groups") ? ((Number) c.get("groups")).intValue() : 1;
        return switch (name) {
            case "Conv2D" -> {
                int[] k = ints(c.get("size"));
                Conv2D l = new Conv2D(filters, k[0], k[1], null).padding(padding).groups(groups);
                if (str != null) l.strides(str[0], str[1]);
                if (dil != null) l.dilationRate(dil[0], dil[1]);
                yield l;
            }
            case "Conv2DTranspose" -> {
                int[] k = ints(c.get("size"));
                Conv2DTranspose l = new Conv2DTranspose(filters, k[0], k[1], null).padding(padding);
                if (str != null) l.strides(str[0], str[1]);
                if (dil != null) l.dilationRate(dil[0], dil[1]);
                if (c.containsKey("output_padding")) {
                    int[] p = ints(c.get("output_padding"));
                    l.outputPadding(p[0], p[1]);
                }
                yield l;
            }
            case "Conv1DTranspose" -> {
                Conv1DTranspose l = new Conv1DTranspose(filters, ((Number) c.get("size")).intValue())
                        .padding(padding);
                if (c.containsKey("strides")) l.strides(((Number) c.get("strides")).intValue());
                if (c.containsKey("output_padding")) l.outputPadding(((Number) c.get("output_padding")).intValue());
                yield l;
            }
            case "DepthwiseConv2D" -> {
                int[] k = ints(c.get("size"));
                DepthwiseConv2D l = new DepthwiseConv2D(k[0], k[1], null).padding(padding).depthMultiplier(mult);
                if (str != null) l.strides(str[0], str[1]);
                if (dil != null) l.dilationRate(dil[0], dil[1]);
                yield l;
            }
            case "SeparableConv2D" -> {
                int[] k = ints(c.get("size"));
                SeparableConv2D l = new SeparableConv2D(filters, k[0], k[1], null).padding(padding)
                        .depthMultiplier(mult);
                if (str != null) l.strides(str[0], str[1]);
                if (dil != null) l.dilationRate(dil[0], dil[1]);
                yield l;
            }
            case "Conv3D" -> {
                int[] k = ints(c.get("size"));
                Conv3D l = new Conv3D(filters, k[0], k[1], k[2], null).padding(padding).groups(groups);
                if (str != null) l.strides(str[0], str[1], str[2]);
                if (dil != null) l.dilationRate(dil[0], dil[1], dil[2]);
                yield l;
            }
            case "MaxPooling3D" -> new MaxPooling3D(ints(c.get("pool")), ints(c.get("strides")), padding);
            case "AveragePooling3D" -> new AveragePooling3D(ints(c.get("pool")), ints(c.get("strides")), padding);
            default -> throw new IllegalArgumentException("unknown layer " + name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKeras(Case c) throws Exception {
        Map<String, Object> d = c.d();
        Tensor x = tensor(d.get("x")), expected = tensor(d.get("out"));
        int[] dims = x.shape().dims();
        LayerOutput in = Input.of(Arrays.copyOfRange(dims, 1, dims.length));
        Model m = Model.functional(in, layer((String) d.get("name"), (Map<String, Object>) d.get("config")).apply(in));
        List<Tensor> weights = new ArrayList<>();
        for (Object w : (List<Object>) d.get("weights")) weights.add(tensor(w));
        m.setWeights(weights);
        List<Variable> vars = m.trainableWeights();
        Tensor r = Tensor.wrap(DType.FLOAT32, expected.shape(), floats(d.get("loss_weights")));
        java.util.function.Function<Tensor[], Tensor[]> step = xs -> {
            try (GradientTape tape = new GradientTape()) {
                tape.watch(xs[0]);
                Tensor y = m.call(xs[0]);
                List<Object> sources = new ArrayList<>(vars);
                sources.add(xs[0]);
                Tensor[] g = tape.gradient(Ops.sum(Ops.mul(y, r)), sources.toArray());
                Tensor[] all = new Tensor[g.length + 1];
                all[0] = y;
                System.arraycopy(g, 0, all, 1, g.length);
                return all;
            }
        };
        int[] anyBatch = dims.clone();
        anyBatch[0] = -1;
        TracedFunction traced = TracedFunction.of(step)
                .withInputSignature(TensorSpec.of(DType.FLOAT32, Shape.of(anyBatch)));
        List<Object> gw = (List<Object>) d.get("grad_weights");
        for (String mode : new String[] {"eager", "traced"}) {
            Tensor[] got = mode.equals("eager") ? step.apply(new Tensor[] {x}) : traced.call(x);
            assertEquals(expected.shape(), got[0].shape(), c + " " + mode + " shape");
            close(c + " " + mode + " output", expected.toFloatArray(), got[0]);
            for (int j = 0; j < vars.size(); j++) {
                close(c + " " + mode + " grad " + vars.get(j).name(), floats(gw.get(j)), got[1 + j]);
            }
            close(c + " " + mode + " grad x", floats(d.get("grad_x")), got[1 + vars.size()]);
        }
        m.save(tmp.resolve("model"));
        try (SavedModel loaded = Model.load(tmp.resolve("model"))) {
            close(c + " saved model", expected.toFloatArray(), loaded.predict(x)[0]);
        }
    }

    private static void close(String what, float[] e, Tensor actual) {
        KerasReference.assertClose(what, e, actual, 1e-5);
    }

    @Test
    void badConfigurationsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(2, 3).groups(0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new DepthwiseConv2D(3).depthMultiplier(0));
        LayerOutput img = Input.of(5, 5, 3);
        String groups = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(img, new Conv2D(4, 3).groups(2).apply(img))).getMessage();
        assertTrue(groups.contains("divisible by groups 2"), groups);
        String outPad = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(img, new Conv2DTranspose(2, 3).strides(2, 2).outputPadding(2, 0).apply(img)))
                .getMessage();
        assertTrue(outPad.contains("smaller than the stride 2"), outPad);
        LayerOutput vol = Input.of(2, 5, 5, 1);
        String small = assertThrows(IllegalArgumentException.class,
                () -> Model.functional(vol, new Conv3D(2, 3).apply(vol))).getMessage();
        assertTrue(small.contains("smaller than the window 3"), small);
    }
}
