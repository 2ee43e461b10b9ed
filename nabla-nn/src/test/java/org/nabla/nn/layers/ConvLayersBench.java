package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.Layer;

/**
 * Speed of the new convolution layers on one typical shape each (batch 32, MobileNet-like 56x56 maps; a 3-D volume
 * batch 4): a traced forward pass (inference) and a traced forward + gradients with respect to the input and every
 * weight (training), milliseconds per call, in alternating rounds of one process (medians). DepthwiseConv2D runs
 * beside a Conv2D of the same FLOPs (8 -> 8 channels), the comparison the issue asks for.
 * {@code scripts/bench/conv_layers_torch.py} measures the same layers in PyTorch. Skipped unless run with
 * {@code -Dnabla.bench=true}; runnable with {@code main}. No timing is asserted.
 */
public class ConvLayersBench {
    @Test
    void convLayers() {
        assumeTrue(Boolean.getBoolean("nabla.bench"), "benchmark: run with -Dnabla.bench=true");
        main(new String[0]);
    }

    private record Case(String name, Supplier<Layer> layer, int[] shape) {}

    static List<Case> cases() {
        return List.of(
                new Case("conv2d 8->8 3x3 same [32,56,56,8] (the depthwise FLOPs)", () -> new Conv2D(8, 3)
                        .padding("same"), new int[] {32, 56, 56, 8}),
                new Case("depthwise 3x3 same [32,56,56,64]", () -> new DepthwiseConv2D(3).padding("same"),
                        new int[] {32, 56, 56, 64}),
                new Case("separable 64->128 3x3 same [32,56,56,64]", () -> new SeparableConv2D(128, 3)
                        .padding("same"), new int[] {32, 56, 56, 64}),
                new Case("conv2d_transpose 64->32 3x3 stride 2 same [32,28,28,64]", () -> new Conv2DTranspose(32, 3)
                        .strides(2, 2).padding("same"), new int[] {32, 28, 28, 64}),
                new Case("conv3d 16->32 3x3x3 same [4,16,28,28,16]", () -> new Conv3D(32, 3).padding("same"),
                        new int[] {4, 16, 28, 28, 16}));
    }

    public static void main(String[] args) {
        int rounds = Integer.getInteger("nabla.bench.rounds", 7), calls = Integer.getInteger("nabla.bench.steps", 5);
        String only = System.getProperty("nabla.bench.only", "");
        List<Case> cases = cases().stream().filter(c -> only.isEmpty() || c.name().startsWith(only)).toList();
        int n = cases.size();
        TracedFunction[] forward = new TracedFunction[n], train = new TracedFunction[n];
        Tensor[] inputs = new Tensor[n];
        for (int i = 0; i < n; i++) {
            Case c = cases.get(i);
            Layer l = c.layer().get();
            inputs[i] = Ops.randomUniform(c.shape(), DType.FLOAT32, -1, 1, i + 1);
            l.call(inputs[i]);
            List<Variable> weights = l.trainableWeights();
            forward[i] = TracedFunction.of(in -> new Tensor[] {l.call(in[0])});
            train[i] = TracedFunction.of(in -> {
                try (GradientTape tape = new GradientTape()) {
                    tape.watch(in[0]);
                    List<Object> sources = new ArrayList<>(weights);
                    sources.add(in[0]);
                    return tape.gradient(Ops.sum(l.call(in[0])), sources.toArray());
                }
            });
            for (int k = 0; k < 3; k++) {
                forward[i].call(inputs[i]);
                train[i].call(inputs[i]);
            }
        }
        List<List<Double>> fwd = new ArrayList<>(), trn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fwd.add(new ArrayList<>());
            trn.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                fwd.get(i).add(millis(forward[i], inputs[i], calls));
                trn.get(i).add(millis(train[i], inputs[i], calls));
            }
        }
        for (int i = 0; i < n; i++) {
            List<Double> f = fwd.get(i).stream().sorted().toList(), t = trn.get(i).stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%-58s forward %8.2f ms (%.2f-%.2f)  forward+grad %8.2f ms (%.2f-%.2f)%n",
                    cases.get(i).name(), f.get(f.size() / 2), f.getFirst(), f.getLast(), t.get(t.size() / 2),
                    t.getFirst(), t.getLast());
        }
    }

    private static double millis(TracedFunction f, Tensor x, int calls) {
        long t0 = System.nanoTime();
        for (int k = 0; k < calls; k++) f.call(x);
        return (System.nanoTime() - t0) / 1e6 / calls;
    }
}
