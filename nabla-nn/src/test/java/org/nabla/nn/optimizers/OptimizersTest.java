package org.nabla.nn.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.Ref;

/** Optimizer updates against hand-computed steps. */
class OptimizersTest {
    private static Variable var(double... w) { return Variable.of("w", Tensors.of(toFloat(w)), true); }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static void step(Optimizer o, Variable v, double... g) {
        o.applyGradients(List.of(Tensors.of(toFloat(g))), List.of(v));
    }

    @Test
    void sgdPlainMomentumNesterov() {
        Variable w = var(1, 2);
        step(new SGD(0.1), w, 0.5, -1);
        Ref.assertClose(new double[] {0.95, 2.1}, w.read(), 1e-6);

        Variable m = var(1, 2);
        SGD mom = new SGD(0.1, 0.9, false);
        step(mom, m, 0.5, -1);
        step(mom, m, 0.5, -1);
        Ref.assertClose(new double[] {1 - 0.05 - 0.095, 2 + 0.1 + 0.19}, m.read(), 1e-6);

        Variable n = var(1, 2);
        step(new SGD(0.1, 0.9, true), n, 0.5, -1);
        Ref.assertClose(new double[] {1 - 0.045 - 0.05, 2 + 0.09 + 0.1}, n.read(), 1e-6);
    }

    /** Adam by hand, in double. */
    private static double[] adamByHand(double[] w, double[][] grads, double lr, double wd) {
        double[] m = new double[w.length], v = new double[w.length], x = w.clone();
        for (int t = 1; t <= grads.length; t++) {
            double lrT = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            for (int i = 0; i < x.length; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                x[i] = x[i] - lr * wd * x[i] - lrT * m[i] / (Math.sqrt(v[i]) + 1e-7);
            }
        }
        return x;
    }

    @Test
    void adamOneAndTwoStepsByHand() {
        double[][] g = {{0.5, -1, 0.001, 0}, {-0.2, 0.3, 2, 1}};
        Variable w = var(1, -2, 0.5, 3);
        Adam adam = new Adam(0.01);
        step(adam, w, g[0]);
        Ref.assertClose(adamByHand(new double[] {1, -2, 0.5, 3}, new double[][] {g[0]}, 0.01, 0), w.read(), 1e-6);
        step(adam, w, g[1]);
        Ref.assertClose(adamByHand(new double[] {1, -2, 0.5, 3}, g, 0.01, 0), w.read(), 1e-6);
        assertEquals(2, adam.step());
        assertEquals(4, adam.variables().size());   // iterations, learning rate, m, v

        Variable w64 = Variable.of("w64", Tensors.of(new double[] {1, -2, 0.5, 3}), true);
        Adam adam64 = new Adam(0.01);
        adam64.applyGradients(List.of(Tensors.of(g[0])), List.of(w64));
        adam64.applyGradients(List.of(Tensors.of(g[1])), List.of(w64));
        // the learning-rate variable is float32 (0.01f), hence 1e-9
        Ref.assertClose(adamByHand(new double[] {1, -2, 0.5, 3}, g, 0.01, 0), w64.read(), 1e-9);
    }

    @Test
    void adamWDecaysWeights() {
        double[][] g = {{0.5, -1}};
        Variable w = var(1, -2);
        step(new AdamW(0.01, 0.1), w, g[0]);
        Ref.assertClose(adamByHand(new double[] {1, -2}, g, 0.01, 0.1), w.read(), 1e-6);
    }

    @Test
    void rmspropByHand() {
        Variable w = var(1, 2);
        RMSprop r = new RMSprop(0.01);
        step(r, w, 0.5, -1);
        double s0 = 0.1 * 0.25, s1 = 0.1;
        Ref.assertClose(new double[] {1 - 0.01 * 0.5 / Math.sqrt(s0 + 1e-7), 2 + 0.01 / Math.sqrt(s1 + 1e-7)},
                w.read(), 1e-6);
        Variable m = var(1);
        RMSprop rm = new RMSprop(0.01, 0.9, 0.5, 1e-7);
        step(rm, m, 1);
        step(rm, m, 1);
        double inc1 = 0.01 / Math.sqrt(0.1 + 1e-7), inc2 = 0.01 / Math.sqrt(0.19 + 1e-7);
        Ref.assertClose(new double[] {1 - inc1 - (0.5 * inc1 + inc2)}, m.read(), 1e-6);
    }

    @Test
    void clipByNormAndGlobalNorm() {
        Variable w = var(0, 0);
        step(new SGD(1).clipnorm(1), w, 3, 4);
        Ref.assertClose(new double[] {-0.6, -0.8}, w.read(), 1e-6);
        Variable small = var(0, 0);
        step(new SGD(1).clipnorm(10), small, 3, 4);
        Ref.assertClose(new double[] {-3, -4}, small.read(), 1e-6);

        Variable a = var(0, 0), b = var(0);
        new SGD(1).globalClipnorm(1.3).applyGradients(List.of(Tensors.of(new float[] {3, 4}),
                Tensors.of(new float[] {12})),
                List.of(a, b));
        Ref.assertClose(new double[] {-0.3, -0.4}, a.read(), 1e-6);
        Ref.assertClose(new double[] {-1.2}, b.read(), 1e-6);
    }

    @Test
    void schedules() {
        LearningRateSchedule e = LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, false);
        assertEquals(0.1 * Math.pow(0.5, 0.5), e.at(5), 1e-12);
        assertEquals(0.1, LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, true).at(9), 1e-12);
        LearningRateSchedule p = LearningRateSchedule.piecewiseConstant(new long[] {10, 20}, new double[] {1, 0.5,
                0.1});
        assertEquals(1, p.at(10));
        assertEquals(0.5, p.at(11));
        assertEquals(0.1, p.at(21));
        LearningRateSchedule c = LearningRateSchedule.cosineDecay(1, 100, 0.1);
        assertEquals(1, c.at(0), 1e-12);
        assertEquals(0.1 + 0.9 * 0.5, c.at(50), 1e-12);
        assertEquals(0.1, c.at(500), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.piecewiseConstant(new long[] {1},
                new double[] {1}));

        // the schedule drives the learning-rate variable step by step
        SGD sgd = new SGD(1);
        sgd.schedule(step -> step == 0 ? 1 : 0.5);
        Variable w = var(0);
        step(sgd, w, 1);
        step(sgd, w, 1);
        Ref.assertClose(new double[] {-1.5}, w.read(), 1e-6);
    }

    @Test
    void tracedUpdateEqualsEagerUpdate() {
        double[][] g = {{0.5, -1}, {0.1, 0.2}, {-0.3, 0.7}};
        Variable eager = var(1, 2), traced = var(1, 2);
        Adam a = new Adam(0.05), b = new Adam(0.05);
        TracedFunction f = TracedFunction.of(args -> {
            b.applyGradients(List.of(args[0]), List.of(traced));
            return new Tensor[] {traced.read()};
        });
        for (double[] gi : g) {
            step(a, eager, gi);
            f.call(Tensors.of(toFloat(gi)));
        }
        Ref.assertClose(eager.read().toDoubleArray(), traced.read(), 0);
        assertEquals(1, f.traceCount());
        assertEquals(3, b.step());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Adam(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(0.1).applyGradients(List.of(Tensors.of(new float[] {1, 2, 3})), List.of(var(1, 2))));
        assertEquals(DType.FLOAT32, var(1).dtype());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("gradient of shape (3,)"), e.getMessage());
    }

    @Test
    void configRebuildsAnOptimizerThatMakesTheSameUpdates() {
        List<Optimizer> originals = List.of(new SGD(0.05, 0.8, true).clipnorm(1.5), new Adam(0.02, 0.8, 0.99, 1e-6),
                new AdamW(0.01, 0.1, 0.85, 0.98, 1e-5), new RMSprop(0.03, 0.8, 0.5, 1e-6).globalClipnorm(2));
        for (Optimizer o : originals) {
            Optimizer copy = Optimizers.fromConfig(o.name(), o.config());
            assertEquals(o.getClass(), copy.getClass());
            assertEquals(o.config(), copy.config());
            Variable a = var(1, -2, 0.5);
            Variable b = var(1, -2, 0.5);
            for (int t = 0; t < 3; t++) {
                step(o, a, 0.3, -1.2 + t, 2);
                step(copy, b, 0.3, -1.2 + t, 2);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.read().toFloatArray(), b.read().toFloatArray(),
                    o.name());
        }
        assertEquals(java.util.Map.of("learning_rate", (double) 0.1f, "momentum", 0.0, "nesterov", 0.0),
                new SGD(0.1).config());
    }

    @Test
    void fromConfigRejectsUnknownNamesAndHyperparameters() {
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("Yogi", java.util.Map.of("learning_rate", 0.1)));
        org.junit.jupiter.api.Assertions.assertTrue(e1.getMessage().contains("unknown optimizer 'Yogi'"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("Adam", java.util.Map.of("learning_rate", 0.1, "beta1", 0.8)));
        org.junit.jupiter.api.Assertions.assertTrue(e2.getMessage().contains("no hyperparameter 'beta1'"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("SGD", java.util.Map.of("momentum", 0.8)));
        org.junit.jupiter.api.Assertions.assertTrue(e3.getMessage().contains("no learning_rate"), e3.getMessage());
    }

    @Test
    void weightDecaySkipsExcludedVariablesAndEmaIsCheckpointed() {
        Variable kernel = Variable.of("dense/kernel", Tensors.of(new float[] {1f, 2f}, 2), true);
        Variable bias = Variable.of("dense/bias", Tensors.of(new float[] {1f, 2f}, 2), true);
        SGD sgd = (SGD) new SGD(0.5).weightDecay(0.1).excludeFromWeightDecay("bias");
        Tensor zero = Tensors.of(new float[] {0f, 0f}, 2);
        sgd.applyGradients(java.util.List.of(zero, zero), java.util.List.of(kernel, bias));
        // w -= lr * wd * w on the kernel only
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.95f, 1.9f}, kernel.read().toFloatArray(), 1e-6f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1f, 2f}, bias.read().toFloatArray(), 0f);
        SGD ema = (SGD) new SGD(0.1).useEma(0.9);
        ema.build(java.util.List.of(kernel));
        org.junit.jupiter.api.Assertions.assertEquals(3, ema.variables().size());   // iterations, rate, the average
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).useEma(1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).clipvalue(0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Ftrl(0.1, 0.5, 0.1, 0, 0, 0, 0));
    }

    @Test
    void fitEndsWithTheMovingAverages() {
        org.nabla.nn.Sequential m = new org.nabla.nn.Sequential(new org.nabla.nn.layers.Dense(2));
        m.input(3);
        SGD sgd = (SGD) new SGD(0.1).useEma(0.9);
        m.compile(sgd, org.nabla.nn.losses.Losses.meanSquaredError());
        Tensor x = org.nabla.Ops.randomNormal(new int[] {8, 3}, DType.FLOAT32, 0, 1, 1);
        Tensor y = org.nabla.Ops.randomNormal(new int[] {8, 2}, DType.FLOAT32, 0, 1, 2);
        m.fit(x, y, org.nabla.nn.FitOptions.epochs(2).batchSize(4).verbose(0));
        for (Variable w : m.trainableWeights()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(sgd.averageOf(w).read().toFloatArray(),
                    w.read().toFloatArray(), 0f, w.name());
        }
    }
}
