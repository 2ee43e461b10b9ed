package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.io.Json;
import org.nabla.io.Npy;
import org.nabla.nn.Input;
import org.nabla.nn.Layer;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.Ref;

/**
 * Recurrent and embedding layers against Keras 3.15 (JAX backend, float64): the files under
 * {@code src/test/resources/keras/rnn/<case>} hold the inputs, weights, outputs and the gradients of
 * {@code L = sum_k sum(output_k * r_k)} with respect to the float inputs and every weight, written by
 * {@code scripts/references/keras_rnn_reference.py} (which builds the same configurations). Each case runs eagerly
 * and as a traced function (the graph that fit and save use), with the time loop unrolled and as a While node;
 * forward values and gradients must agree within 1e-9 (float64 both sides; Keras' scan and our loops differ only in
 * rounding). Two cases (torch_*) come from PyTorch 2.13 instead ({@code scripts/references/torch_rnn_reference.py}).
 */
class RecurrentKerasTest {
    private static final double TOL = 1e-9;
    private static final int T = 5, D = 3, U = 4;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("simple_rnn_sequences", seq(() -> new SimpleRNN(U).returnSequences(true))),
                Arguments.of("simple_rnn_last_backwards", seq(() -> new SimpleRNN(U).goBackwards(true))),
                Arguments.of("lstm_last", seq(() -> new LSTM(U))),
                Arguments.of("lstm_sequences_state", seq(() -> new LSTM(U).returnSequences(true).returnState(true))),
                Arguments.of("lstm_initial_state", (Supplier<Model>) () -> {
                    LayerOutput x = Input.of(T, D), h = Input.of(U), c = Input.of(U);
                    Layer lstm = f64(new LSTM(U).returnState(true));
                    return Model.functional(List.of(x, h, c), List.of(lstm.applyAll(x, h, c)));
                }),
                Arguments.of("gru_sequences", seq(() -> new GRU(U).returnSequences(true))),
                Arguments.of("gru_reset_before_state", seq(() -> new GRU(U).resetAfter(false).returnState(true))),
                Arguments.of("gru_initial_state_backwards", (Supplier<Model>) () -> {
                    LayerOutput x = Input.of(T, D), h = Input.of(U);
                    Layer gru = f64(new GRU(U).returnSequences(true).goBackwards(true));
                    return Model.functional(List.of(x, h), List.of(gru.apply(x, h)));
                }),
                Arguments.of("embedding", ids(() -> new Embedding(10, D))),
                Arguments.of("embedding_masked_gru_sequences",
                        ids(() -> new Embedding(10, D).maskZero(true), () -> new GRU(U).returnSequences(true))),
                Arguments.of("embedding_masked_lstm_last",
                        ids(() -> new Embedding(10, D).maskZero(true), () -> new LSTM(U))),
                Arguments.of("embedding_masked_simple_rnn_backwards", ids(() -> new Embedding(10, D).maskZero(true),
                        () -> new SimpleRNN(U).returnSequences(true).goBackwards(true))),
                Arguments.of("bidirectional_lstm_concat_masked", ids(() -> new Embedding(10, D).maskZero(true),
                        () -> new Bidirectional(new LSTM(3).returnSequences(true)))),
                Arguments.of("bidirectional_gru_sum", seq(() -> new Bidirectional(new GRU(3), "sum"))),
                Arguments.of("bidirectional_simple_rnn_ave_sequences",
                        seq(() -> new Bidirectional(new SimpleRNN(3).returnSequences(true), "ave"))),
                Arguments.of("bidirectional_lstm_mul_state",
                        seq(() -> new Bidirectional(new LSTM(3).returnState(true), "mul"))),
                // PyTorch 2.13's nn.LSTM / nn.GRU, weights converted to Keras' layout (torch_rnn_reference.py)
                Arguments.of("torch_lstm_sequences_state",
                        seq(() -> new LSTM(U).returnSequences(true).returnState(true))),
                Arguments.of("torch_gru_sequences_state",
                        seq(() -> new GRU(U).returnSequences(true).returnState(true))),
                Arguments.of("masking_lstm_sequences", (Supplier<Model>) () -> {
                    LayerOutput x = Input.of(T, D);
                    LayerOutput masked = f64(new Masking()).apply(x);
                    return Model.functional(x, f64(new LSTM(U).returnSequences(true)).apply(masked));
                }));
    }

    private static Layer f64(Layer l) { return l.dtype(DType.FLOAT64); }

    /** One recurrent layer on a float sequence; all its outputs are the model's. */
    private static Supplier<Model> seq(Supplier<Layer> layer) {
        return () -> {
            LayerOutput x = Input.of(T, D);
            return Model.functional(List.of(x), List.of(f64(layer.get()).applyAll(x)));
        };
    }

    /** Layers stacked on int ids (the mask of an Embedding flows through the model). */
    @SafeVarargs
    private static Supplier<Model> ids(Supplier<Layer>... layers) {
        return () -> {
            LayerOutput x = Input.of(T);
            LayerOutput y = x;
            for (Supplier<Layer> l : layers) y = f64(l.get()).apply(y);
            return Model.functional(x, y);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(String name, Supplier<Model> build) throws IOException { run(name, build.get()); }

    /** The SimpleRNN cases in float32, where the layer runs its fused loop (SimpleRnnSequence). */
    static Stream<Arguments> float32SimpleRnnCases() {
        Supplier<Layer> sequences = () -> new SimpleRNN(U).returnSequences(true);
        return Stream.of(
                Arguments.of("simple_rnn_sequences", (Supplier<Model>) () -> oneLayer(Input.of(T, D), sequences.get())),
                Arguments.of("simple_rnn_last_backwards",
                        (Supplier<Model>) () -> oneLayer(Input.of(T, D), new SimpleRNN(U).goBackwards(true))),
                Arguments.of("embedding_masked_simple_rnn_backwards", (Supplier<Model>) () -> {
                    LayerOutput x = Input.of(T);
                    LayerOutput e = new Embedding(10, D).maskZero(true).apply(x);
                    return Model.functional(x, new SimpleRNN(U).returnSequences(true).goBackwards(true).apply(e));
                }),
                Arguments.of("bidirectional_simple_rnn_ave_sequences", (Supplier<Model>) () -> oneLayer(
                        Input.of(T, D), new Bidirectional(new SimpleRNN(3).returnSequences(true), "ave"))));
    }

    private static Model oneLayer(LayerOutput x, Layer layer) { return Model.functional(x, layer.apply(x)); }

    /** float32 against Keras' float64 values: the fused loop's rounding only (eager and traced). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("float32SimpleRnnCases")
    void theFusedFloat32SimpleRnnMatchesKeras(String name, Supplier<Model> build) throws IOException {
        run(name, build.get(), DType.FLOAT32, 2e-5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKerasAsAWhileLoop(String name, Supplier<Model> build) throws IOException {
        Model model = build.get();
        for (Layer l : model.layers()) {
            if (l instanceof RecurrentLayer r) r.unroll(false);
            if (l instanceof Bidirectional b) {
                b.forwardLayer().unroll(false);
                b.backwardLayer().unroll(false);
            }
        }
        run(name, model);
    }

    private static void run(String name, Model model) throws IOException { run(name, model, DType.FLOAT64, TOL); }

    private static void run(String name, Model model, DType dtype, double tol) throws IOException {
        @SuppressWarnings("unchecked")
        var meta = (java.util.Map<String, Object>) Json.parse(new String(resource(name, "meta.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
        int nIn = ((Number) meta.get("inputs")).intValue(), nOut = ((Number) meta.get("outputs")).intValue();
        List<Integer> floats = ((List<?>) meta.get("float_inputs")).stream().map(o -> ((Number) o).intValue())
                .toList();
        Tensor[] inputs = new Tensor[nIn];
        for (int i = 0; i < nIn; i++) inputs[i] = as(dtype, npy(name, "in_" + i));
        List<Variable> weights = model.trainableWeights();
        assertEquals(((List<?>) meta.get("weights")).size(), weights.size(), "weights of " + meta.get("weights"));
        List<Tensor> values = new ArrayList<>();
        for (int j = 0; j < weights.size(); j++) values.add(as(dtype, npy(name, "w_" + j)));
        model.setWeights(values);
        Tensor[] r = new Tensor[nOut];
        for (int k = 0; k < nOut; k++) r[k] = as(dtype, npy(name, "r_" + k));

        // forward and gradients: eagerly, then as one traced graph
        java.util.function.Function<Tensor[], Tensor[]> step = in -> {
            try (GradientTape tape = new GradientTape()) {
                for (int i : floats) tape.watch(in[i]);
                Tensor[] out = model.call(in, false);
                Tensor loss = null;
                for (int k = 0; k < nOut; k++) {
                    Tensor term = Ops.sum(Ops.mul(out[k], r[k]));
                    loss = loss == null ? term : Ops.add(loss, term);
                }
                List<Object> sources = new ArrayList<>(weights);
                for (int i : floats) sources.add(in[i]);
                Tensor[] grads = tape.gradient(loss, sources.toArray());
                Tensor[] all = new Tensor[nOut + grads.length];
                System.arraycopy(out, 0, all, 0, nOut);
                System.arraycopy(grads, 0, all, nOut, grads.length);
                return all;
            }
        };
        for (String mode : new String[] {"eager", "traced"}) {
            Tensor[] got = mode.equals("eager") ? step.apply(inputs) : TracedFunction.of(step).call(inputs);
            for (int k = 0; k < nOut; k++) {
                check(name + " " + mode + " output " + k, npy(name, "out_" + k), got[k], tol);
            }
            for (int j = 0; j < weights.size(); j++) {
                check(name + " " + mode + " d/d" + weights.get(j).name(), npy(name, "grad_w_" + j), got[nOut + j],
                        tol);
            }
            for (int f = 0; f < floats.size(); f++) {
                check(name + " " + mode + " d/d input " + floats.get(f), npy(name, "grad_in_" + floats.get(f)),
                        got[nOut + weights.size() + f], tol);
            }
        }
    }

    /** Floating values in {@code dtype} (float64 as read); ids stay as they are. */
    private static Tensor as(DType dtype, Tensor t) {
        return t.dtype() == DType.FLOAT64 && dtype != DType.FLOAT64 ? Ops.cast(t, dtype) : t;
    }

    private static void check(String what, Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        try {
            Ref.assertClose(expected.toDoubleArray(), actual, tol);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    private static Tensor npy(String name, String file) throws IOException {
        try (InputStream in = resource(name, file + ".npy")) {
            return Npy.read(in);
        }
    }

    private static InputStream resource(String name, String file) throws IOException {
        InputStream in = RecurrentKerasTest.class.getResourceAsStream("/keras/rnn/" + name + "/" + file);
        if (in == null) throw new IOException("missing test resource keras/rnn/" + name + "/" + file);
        return in;
    }
}
