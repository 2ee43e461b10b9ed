package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Input;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.Sequential;
import org.nabla.nn.optimizers.Adam;
import org.nabla.nn.saving.SavedModel;

/** Recurrent layers in models: masks, saving, traced training, shape errors (values against Keras: RecurrentKerasTest). */
class RecurrentLayersTest {
    @TempDir
    Path tmp;

    @Test
    void paddingMaskedAtEitherEndGivesTheUnpaddedResult() {
        Sequential m = new Sequential(new Embedding(10, 4).maskZero(true), new LSTM(3));
        m.input(6);
        Tensor trailing = Tensors.of(new int[] {5, 2, 7, 0, 0, 0}, 1, 6);
        Tensor leading = Tensors.of(new int[] {0, 0, 0, 5, 2, 7}, 1, 6);
        Tensor inner = Tensors.of(new int[] {5, 0, 2, 0, 7, 0}, 1, 6);
        float[] expected = m.call(trailing).toFloatArray();
        assertArrayEquals(expected, m.call(leading).toFloatArray(), 1e-6f);
        assertArrayEquals(expected, m.call(inner).toFloatArray(), 1e-6f);
        Tensor unmasked = new Sequential(new Embedding(10, 4), new LSTM(3)).input(6).call(trailing);
        assertEquals(3, unmasked.size());
    }

    @Test
    void theFusedCellsComputeWhatTheUnfusedOpsDo() {
        Tensor x = org.nabla.nn.Ref.f64(org.nabla.nn.Ref.random(2 * 6 * 3, 9, -1, 1), 2, 6, 3);
        LSTM fused = (LSTM) new LSTM(4).returnSequences(true).returnState(true).dtype(DType.FLOAT64);
        LSTM plain = (LSTM) new LSTM(4).returnSequences(true).returnState(true).dtype(DType.FLOAT64);
        plain.fusedCell(false);
        fused.call(x);
        plain.call(x);
        for (int i = 0; i < 3; i++) plain.weights().get(i).assign(fused.weights().get(i).read());
        Tensor[] a = fused.callAll(new Tensor[] {x}, null, org.nabla.nn.CallContext.INFERENCE);
        Tensor[] b = plain.callAll(new Tensor[] {x}, null, org.nabla.nn.CallContext.INFERENCE);
        for (int i = 0; i < 3; i++) org.nabla.nn.Ref.assertClose(b[i].toDoubleArray(), a[i], 1e-13);
        GRU fusedGru = (GRU) new GRU(4).returnSequences(true).dtype(DType.FLOAT64);
        GRU plainGru = ((GRU) new GRU(4).returnSequences(true).dtype(DType.FLOAT64)).fusedCell(false);
        fusedGru.call(x);
        plainGru.call(x);
        for (int i = 0; i < 3; i++) plainGru.weights().get(i).assign(fusedGru.weights().get(i).read());
        org.nabla.nn.Ref.assertClose(plainGru.call(x).toDoubleArray(), fusedGru.call(x), 1e-13);
    }

    @Test
    void aSavedModelWithEmbeddingAndRecurrentLayersPredictsTheSame() throws Exception {
        Sequential m = new Sequential(new Embedding(20, 8).maskZero(true),
                new Bidirectional(new LSTM(6).returnSequences(true)), new GRU(5), new Dense(2));
        m.seed(7).build(new int[] {7});
        Tensor ids = Tensors.of(new int[] {1, 4, 9, 19, 3, 0, 0, 2, 2, 2, 2, 2, 2, 2}, 2, 7);
        Tensor expected = m.call(ids);
        m.save(tmp.resolve("rnn"));
        try (SavedModel loaded = Model.load(tmp.resolve("rnn"))) {
            assertEquals(DType.INT32, loaded.inputs().getFirst().spec().dtype());
            assertArrayEquals(expected.toFloatArray(), loaded.predict(ids)[0].toFloatArray(), 1e-6f);
            Tensor one = Tensors.of(new int[] {3, 3, 0, 0, 0, 0, 0}, 1, 7);
            assertArrayEquals(m.call(one).toFloatArray(), loaded.predict(one)[0].toFloatArray(), 1e-6f);
        }
    }

    @Test
    void fitTracesOneStepAndLearnsWhetherASequenceHoldsAOne() {
        // class 1 when token 1 occurs anywhere in a zero-padded sequence: needs memory across timesteps
        int n = 256, t = 8;
        int[] ids = new int[n * t];
        float[] y = new float[n * 2];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(t - 2);
            boolean one = false;
            for (int k = 0; k < len; k++) {
                int v = 1 + r.nextInt(5);
                ids[i * t + k] = v;
                one |= v == 1;
            }
            y[i * 2 + (one ? 1 : 0)] = 1;
        }
        Tensor x = Tensors.of(ids, n, t), labels = Tensors.of(y, n, 2);
        double[] losses = new double[2];
        for (int eager = 0; eager < 2; eager++) {
            Sequential m = new Sequential(new Embedding(6, 8).maskZero(true), new GRU(16), new Dense(2, "softmax"));
            m.seed(11).runEagerly(eager == 1);
            m.compile(new Adam(0.02), "categorical_crossentropy", "accuracy");
            History h = m.fit(x, labels, FitOptions.epochs(eager == 1 ? 1 : 8).batchSize(32).shuffle(false)
                    .verbose(0));
            losses[eager] = h.get("loss").getFirst();
            if (eager == 0) {
                assertEquals(1, m.trainTraceCount(), "one traced training step for every batch");
                assertTrue(h.last("accuracy") > 0.9, "accuracy " + h.get("accuracy"));
            }
        }
        assertEquals(losses[0], losses[1], 1e-4, "first-epoch loss, traced vs eager");
    }

    @Test
    void returnStateInTheFunctionalApiGivesTheFinalStates() {
        LayerOutput x = Input.of(4, 3);
        LayerOutput[] out = new LSTM(5).returnSequences(true).returnState(true).applyAll(x);
        assertEquals(3, out.length);
        assertEquals(Shape.of(-1, 4, 5), out[0].shape());
        assertEquals(Shape.of(-1, 5), out[2].shape());
        Model m = Model.functional(List.of(x), List.of(out));
        Tensor[] y = m.call(new Tensor[] {Tensors.of(new float[24], 2, 4, 3).add(0.5f)}, false);
        float[] seq = y[0].toFloatArray(), h = y[1].toFloatArray();
        for (int b = 0; b < 2; b++) {
            for (int u = 0; u < 5; u++) assertEquals(seq[(b * 4 + 3) * 5 + u], h[b * 5 + u], 0f, "h = last output");
        }
    }

    @Test
    void badShapesNameTheLayerTheShapeAndWhatWasExpected() {
        var rank = assertThrows(IllegalArgumentException.class,
                () -> new LSTM(4).name("enc").call(Tensors.of(new float[6], 2, 3)));
        assertTrue(rank.getMessage().contains("'enc' (LSTM)") && rank.getMessage().contains("[batch, time, features]")
                && rank.getMessage().contains("(None, 3)"), rank.getMessage());
        var state = assertThrows(IllegalArgumentException.class,
                () -> new GRU(4).call(Tensors.of(new float[12], 1, 4, 3), Tensors.of(new float[3], 1, 3)));
        assertTrue(state.getMessage().contains("initial state 0 must be [batch, 4]"), state.getMessage());
        var merge = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new GRU(2), "max"));
        assertTrue(merge.getMessage().contains("concat, sum, mul or ave"), merge.getMessage());
        var ids = assertThrows(IllegalArgumentException.class,
                () -> new Embedding(5, 2).call(Tensors.of((Object) new boolean[][] {{true}})));
        assertTrue(ids.getMessage().contains("integer ids"), ids.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> new Embedding(5, 2).name("chars").call(Tensors.of(new int[] {1, 7}, 1, 2)));
        assertTrue(range.getMessage().contains("'chars' (Embedding): ids must be in [0, 5)")
                && range.getMessage().contains("index 7"), range.getMessage());
    }
}
