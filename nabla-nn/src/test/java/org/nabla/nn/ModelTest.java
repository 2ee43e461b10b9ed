package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.layers.BatchNormalization;
import org.nabla.nn.layers.Concatenate;
import org.nabla.nn.layers.Conv2D;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Dropout;
import org.nabla.nn.layers.Flatten;
import org.nabla.nn.layers.GlobalAveragePooling2D;
import org.nabla.nn.layers.MaxPooling2D;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;
import org.nabla.nn.optimizers.SGD;

class ModelTest {
    /** Three Gaussian blobs in 2-D, well separated: {x [n, 2], y int32 [n]}. */
    static Tensor[] blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        double[][] centers = {{-2, -2}, {2, -1}, {0, 2.5}};
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            x[2 * i] = (float) (centers[c][0] + 0.5 * (r.nextDouble() * 2 - 1));
            x[2 * i + 1] = (float) (centers[c][1] + 0.5 * (r.nextDouble() * 2 - 1));
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(n, 2), x), Tensor.wrap(DType.INT32, Shape.of(n), y)};
    }

    @Test
    void trainsToHighAccuracyOnSeparableData() {
        Tensor[] train = blobs(300, 1), test = blobs(100, 2);
        Sequential m = new Sequential(new Dense(16, "relu"), new Dropout(0.1), new Dense(3));
        m.seed(3);
        m.compile(new Adam(0.02), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        History h = m.fit(train[0], train[1], FitOptions.epochs(15).batchSize(32).seed(5).verbose(0)
                .validationData(test[0], test[1]));
        assertEquals(15, h.get("loss").size());
        assertEquals(java.util.Collections.nCopies(15, 300L), h.samplesPerEpoch());
        assertTrue(h.trainSamplesPerSecond() > 0);
        assertTrue(h.last("accuracy") > 0.95, h.toString());
        assertTrue(h.last("val_accuracy") > 0.95, h.toString());
        assertTrue(h.get("loss").get(0) > h.last("loss"));
        Map<String, Double> ev = m.evaluate(test[0], test[1], 16);
        assertEquals(h.last("val_loss"), ev.get("loss"), 1e-6);
        // evaluate's loss equals the loss of predict's outputs
        Tensor logits = m.predict(test[0], 7);
        assertEquals(Shape.of(100, 3), logits.shape());
        double byHand = Ops.mean(Ops.sparseSoftmaxCrossEntropyWithLogits(logits, test[1])).doubleValue();
        assertEquals(byHand, ev.get("loss"), 1e-5);
    }

    private static Sequential smallCnn(long seed) {
        Sequential m = new Sequential(new Conv2D(4, 3, "relu").padding("same"), new BatchNormalization(),
                new MaxPooling2D(2), new Flatten(), new Dropout(0.3), new Dense(3));
        m.seed(seed);
        m.input(6, 6, 1);
        m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }

    @Test
    void tracedAndEagerTrainingGiveTheSameWeights() {
        Tensor x = Ops.randomUniform(new int[] {40, 6, 6, 1}, DType.FLOAT32, 0, 1, 9);
        Tensor y = Ops.randomUniform(new int[] {40}, DType.INT32, 0, 3, 10);
        Sequential traced = smallCnn(11), eager = smallCnn(11);
        eager.runEagerly(true);
        assertWeightsClose(traced.getWeights(), eager.getWeights(), 0);
        History ht = traced.fit(x, y, FitOptions.epochs(2).batchSize(16).seed(4).verbose(0));
        History he = eager.fit(x, y, FitOptions.epochs(2).batchSize(16).seed(4).verbose(0));
        assertWeightsClose(traced.getWeights(), eager.getWeights(), 1e-5);
        assertEquals(ht.last("loss"), he.last("loss"), 1e-5);
        assertEquals(6, traced.optimizer().step());
        // a different seed trains differently (dropout masks and initial weights)
        Sequential other = smallCnn(12);
        other.fit(x, y, FitOptions.epochs(2).batchSize(16).seed(4).verbose(0));
        assertTrue(maxDiff(other.getWeights(), traced.getWeights()) > 1e-3);
    }

    @Test
    void eagerStepsRecycleTheirBuffersAndStillTrainLikeTheTracedStep() {
        // Big enough (activations of 32 x 16 x 16 x 8 floats) for each eager step's TensorScope to pool its buffers.
        Tensor x = Ops.randomUniform(new int[] {64, 16, 16, 1}, DType.FLOAT32, 0, 1, 19);
        Tensor y = Ops.randomUniform(new int[] {64}, DType.INT32, 0, 3, 20);
        java.util.function.Supplier<Sequential> make = () -> {
            Sequential m = new Sequential(new Conv2D(8, 3, "relu").padding("same"), new BatchNormalization(),
                    new MaxPooling2D(2), new Flatten(), new Dropout(0.3), new Dense(3));
            m.seed(21);
            m.input(16, 16, 1);
            m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(true), "accuracy");
            return m;
        };
        Sequential traced = make.get(), eager = make.get();
        eager.runEagerly(true);
        History ht = traced.fit(x, y, FitOptions.epochs(2).batchSize(32).seed(4).verbose(0));
        History he = eager.fit(x, y, FitOptions.epochs(2).batchSize(32).seed(4).verbose(0));
        assertWeightsClose(traced.getWeights(), eager.getWeights(), 1e-5);
        assertEquals(ht.last("loss"), he.last("loss"), 1e-5);
        assertEquals(ht.last("accuracy"), he.last("accuracy"), 1e-6);
        Tensor pt = traced.predict(x, 32), pe = eager.predict(x, 32);
        assertTrue(maxDiff(List.of(pt), List.of(pe)) < 1e-4, "eager predictions survive their scopes");
    }

    static double maxDiff(List<Tensor> a, List<Tensor> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            double[] p = a.get(i).toDoubleArray(), q = b.get(i).toDoubleArray();
            for (int j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(p[j] - q[j]));
        }
        return worst;
    }

    static void assertWeightsClose(List<Tensor> a, List<Tensor> b, double tol) {
        assertEquals(a.size(), b.size());
        assertTrue(maxDiff(a, b) <= tol, "weights differ by " + maxDiff(a, b));
    }

    @Test
    void summaryLikeKeras() {
        String expected = """
                Model: "mlp"
                _________________________________________________________________
                 Layer (type)                Output Shape              Param #
                =================================================================
                 flatten (Flatten)           (None, 784)               0

                 dense (Dense)               (None, 128)               100480

                 dropout (Dropout)           (None, 128)               0

                 dense_1 (Dense)             (None, 10)                1290
                =================================================================
                Total params: 101,770
                Trainable params: 101,770
                Non-trainable params: 0
                _________________________________________________________________
                """;
        assertEquals(expected, ReferenceModels.mlp().summary());
        String cnn = ReferenceModels.cnn().summary();
        assertTrue(cnn.contains(" conv2d (Conv2D)             (None, 26, 26, 32)        320\n"), cnn);
        assertTrue(cnn.contains(" max_pooling2d_1 (MaxPooling (None, 5, 5, 64)          0\n"), cnn);
        assertTrue(cnn.contains("Total params: 34,826"), cnn);
        Sequential bn = new Sequential(new Dense(4), new BatchNormalization());
        bn.input(3);
        assertTrue(bn.summary().contains("Trainable params: 24\nNon-trainable params: 8\n"), bn.summary());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Sequential(new Dense(2)).summary());
        assertTrue(e.getMessage().contains("not built"), e.getMessage());
    }

    @Test
    void functionalModelWithTwoInputsAndTwoOutputs() {
        LayerOutput a = Input.named("a", 2), b = Input.named("b", 3);
        LayerOutput h = new Dense(8, "relu").apply(new Concatenate().apply(a, b));
        LayerOutput cls = new Dense(3).name("cls").apply(h);
        LayerOutput reg = new Dense(1).name("reg").apply(h);
        Model m = Model.functional(List.of(a, b), List.of(cls, reg));
        m.compile(new Adam(0.01), List.of(Losses.sparseCategoricalCrossentropy(true), Losses.meanSquaredError()),
                List.of());
        String s = m.summary();
        assertTrue(s.contains(" a (InputLayer)              (None, 2)                 0"), s);
        assertTrue(s.contains(" concatenate (Concatenate)   (None, 5)                 0"), s);
        assertTrue(s.contains("Total params: 84"), s);   // 5*8+8 + 8*3+3 + 8*1+1
        Tensor xa = Ops.randomUniform(new int[] {20, 2}, DType.FLOAT32, -1, 1, 1);
        Tensor xb = Ops.randomUniform(new int[] {20, 3}, DType.FLOAT32, -1, 1, 2);
        Tensor yc = Ops.randomUniform(new int[] {20}, DType.INT32, 0, 3, 3);
        Tensor yr = Ops.randomUniform(new int[] {20, 1}, DType.FLOAT32, -1, 1, 4);
        History hist = m.fit(Batches.make(10, true, 1, false, xa, xb, yc, yr), FitOptions.epochs(3).verbose(0));
        assertTrue(hist.last("loss") < hist.get("loss").get(0), hist.toString());
        Tensor[] out = m.predict(Batches.of(8, xa, xb));
        assertEquals(Shape.of(20, 3), out[0].shape());
        assertEquals(Shape.of(20, 1), out[1].shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(Batches.of(10, xa, yc), FitOptions.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("needs batches of 4 tensors (2 inputs, 2 targets), got 2"), e.getMessage());
    }

    @Test
    void functionalWeightsFollowTheModelSeed() {
        java.util.function.Supplier<Model> make = () -> {
            LayerOutput in = Input.of(3);
            return Model.functional(in, new Dense(2).apply(new Dense(4, "relu").apply(in)));
        };
        Model a = make.get(), b = make.get();
        assertWeightsClose(a.getWeights(), b.getWeights(), 0);
        b.seed(7);
        assertTrue(maxDiff(a.getWeights(), b.getWeights()) > 1e-3);
        a.seed(7);
        assertWeightsClose(a.getWeights(), b.getWeights(), 0);
    }

    @Test
    void batchesCoverEveryRowOncePerEpochAndShuffleBySeed() {
        Tensor x = Tensors.of(new int[] {0, 1, 2, 3, 4, 5, 6}, 7, 1);
        Batches b = Batches.shuffled(3, 5, x);
        assertEquals(3, b.batchesPerEpoch());
        List<Integer> e1 = new java.util.ArrayList<>(), e2 = new java.util.ArrayList<>();
        List<Integer> sizes = new java.util.ArrayList<>();
        for (Tensor[] t : b) {
            sizes.add(t[0].shape().dim(0));
            for (int v : t[0].toIntArray()) e1.add(v);
        }
        for (Tensor[] t : b) for (int v : t[0].toIntArray()) e2.add(v);
        assertEquals(List.of(3, 3, 1), sizes);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), e1.stream().sorted().toList());
        assertTrue(!e1.equals(e2), "epochs are shuffled differently");
        List<Integer> again = new java.util.ArrayList<>();
        for (Tensor[] t : Batches.shuffled(3, 5, x)) for (int v : t[0].toIntArray()) again.add(v);
        assertEquals(e1, again);
        assertEquals(2, Batches.make(3, false, 0, true, x).batchesPerEpoch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batches.of(2, x, Tensors.of(new int[] {1, 2})));
        assertTrue(e.getMessage().contains("different numbers of examples"), e.getMessage());
    }

    @Test
    void resumingAtAnEpochGivesTheSameTrainingAsOneRun() {
        Tensor[] d = blobs(60, 6);
        Sequential whole = smallMlp(), resumed = smallMlp();
        whole.fit(d[0], d[1], FitOptions.epochs(4).batchSize(16).seed(3).verbose(0));
        resumed.fit(d[0], d[1], FitOptions.epochs(2).batchSize(16).seed(3).verbose(0));
        // what a checkpoint holds: weights, the model's step counter and the optimizer's variables
        List<Tensor> state = resumed.trainingState().stream().map(org.nabla.Variable::read).toList();
        Sequential fresh = smallMlp();
        List<org.nabla.Variable> target = fresh.trainingState();   // untrained: its optimizer slots are made now
        assertEquals(state.size(), target.size());
        for (int i = 0; i < state.size(); i++) target.get(i).assign(state.get(i));
        History h = fresh.fit(d[0], d[1], FitOptions.epochs(4).initialEpoch(2).batchSize(16).seed(3).verbose(0));
        assertEquals(List.of(2, 3), h.epochs());
        assertWeightsClose(whole.getWeights(), fresh.getWeights(), 0);
    }

    private static Sequential smallMlp() {
        Sequential m = new Sequential(new Dense(8, "relu"), new Dropout(0.2), new Dense(3));
        m.seed(5);
        m.input(2);
        m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }

    @Test
    void oneTracePerBatchShape() {
        Tensor[] d = blobs(100, 3);
        Sequential m = new Sequential(new Dense(3));
        m.compile(new SGD(0.1), "sparse_categorical_crossentropy");
        m.fit(d[0], d[1], FitOptions.epochs(3).batchSize(32).verbose(0));
        assertEquals(4 * 3, m.optimizer().step());
        assertEquals(2, m.trainTraceCount());   // batches of 32 and the last one of 4
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Sequential(new Dense(1)).fit(d[0], d[1], FitOptions.epochs(1)));
        assertTrue(e.getMessage().contains("not compiled"), e.getMessage());
    }

    @Test
    void customTrainingLoopWithGradientTape() {
        Tensor[] d = blobs(64, 4);
        Sequential m = new Sequential(new Dense(8, "relu"), new Dense(3));
        m.input(2);
        Adam opt = new Adam(0.05);
        var loss = Losses.sparseCategoricalCrossentropy(true);
        double first = 0, last = 0;
        for (int step = 0; step < 30; step++) {
            try (org.nabla.TensorScope scope = org.nabla.TensorScope.open()) { // as docs/nn.md shows it
                Tensor l;
                List<Tensor> grads;
                try (GradientTape tape = new GradientTape()) {
                    Tensor logits = m.call(new Tensor[] {d[0]}, true)[0];
                    l = loss.call(d[1], logits);
                    grads = tape.gradient(l, m.trainableWeights());
                }
                opt.applyGradients(grads, m.trainableWeights());
                if (step == 0) first = l.doubleValue();
                last = l.doubleValue();
            }
        }
        assertTrue(last < first / 2, first + " -> " + last);
        assertEquals(30, m.stepCounter().read().longValue());
    }

    @Test
    void globalAveragePoolingModelAndSetWeights() {
        Sequential m = new Sequential(new Conv2D(2, 3), new GlobalAveragePooling2D(), new Dense(2, "softmax"));
        m.input(5, 5, 1);
        Tensor x = Ops.randomUniform(new int[] {3, 5, 5, 1}, DType.FLOAT32, 0, 1, 1);
        Tensor p = m.predict(x);
        Ref.assertClose(new double[] {1, 1, 1}, Ops.sum(p, 1), 1e-6);
        List<Tensor> w = m.getWeights();
        m.setWeights(w.stream().map(t -> Ops.mul(t, 0f)).toList());
        Ref.assertClose(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, m.predict(x), 1e-7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.setWeights(List.of(Tensors.scalar(1f))));
        assertTrue(e.getMessage().contains("has 4 weights, got 1"), e.getMessage());
    }
}
