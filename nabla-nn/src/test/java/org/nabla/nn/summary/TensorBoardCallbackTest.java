package org.nabla.nn.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Sequential;
import org.nabla.nn.callbacks.TensorBoard;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;
import org.nabla.nn.summary.proto.Event;
import org.nabla.nn.summary.proto.GraphDef;
import org.nabla.nn.summary.proto.NodeDef;
import org.nabla.nn.summary.proto.TensorShapeProto;
import org.nabla.nn.summary.proto.Summary;

/** The TensorBoard callback's files during fit, decoded with the protobuf library. */
class TensorBoardCallbackTest {
    @TempDir Path dir;

    static final Tensor X = Ops.randomUniform(new int[] {32, 3}, DType.FLOAT32, -1, 1, 1);
    static final Tensor Y = Ops.randomUniform(new int[] {32, 1}, DType.FLOAT32, -1, 1, 2);

    static Sequential model() {
        Sequential m = new Sequential(new Dense(4, "tanh"), new Dense(1));
        m.seed(1);
        m.input(3);
        m.compile(new SGD(0.05), Losses.meanSquaredError(), "mae");
        return m;
    }

    /** Trains 3 epochs of 4 batches with the callback logging every 2 batches into {@code logDir}. */
    static History fit(Path logDir) {
        TensorBoard tb = new TensorBoard(logDir).updateFreq(2).hparams(Map.of("lr", 0.05, "optimizer", "sgd"))
                .images(Ops.randomUniform(new int[] {2, 5, 5}, DType.FLOAT32, 0, 1, 3));
        return model().fit(X, Y, FitOptions.epochs(3).batchSize(8).verbose(0).validationData(X, Y).callbacks(tb));
    }

    @Test
    void epochAndBatchScalarsHistogramsTextAndImagesLandInTrainAndValidation() throws Exception {
        History h = fit(dir);
        Map<String, List<double[]>> train = scalars(events(dir.resolve("train")));
        Map<String, List<double[]>> validation = scalars(events(dir.resolve("validation")));
        List<String> metrics = h.asMap().keySet().stream().filter(k -> !k.startsWith("val_")).toList();
        assertEquals(2, metrics.size(), "loss and mae: " + metrics);
        for (String metric : metrics) {
            assertSeries(h.get(metric), train.get("epoch_" + metric));
            assertSeries(h.get("val_" + metric), validation.get("epoch_" + metric));
        }
        assertSeries(List.of(0.05, 0.05, 0.05), train.get("epoch_learning_rate"));
        // 4 batches an epoch, logged after batches 2 and 4: optimizer steps 2, 4, 6, ... 12
        List<double[]> batchLoss = train.get("batch_loss");
        assertEquals(6, batchLoss.size());
        for (int i = 0; i < 6; i++) assertEquals(2 * (i + 1), (long) batchLoss.get(i)[0]);
        // the batch-4 value is the epoch's running mean: the epoch value
        assertEquals((float) (double) h.get("loss").get(0), batchLoss.get(1)[1], 0);

        List<Event> trainEvents = events(dir.resolve("train"));
        List<String> histograms = new ArrayList<>();
        boolean text = false;
        int images = 0;
        for (Event e : trainEvents) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                if (v.hasHisto() && e.getStep() == 2) histograms.add(v.getTag());
                if (v.getTag().equals("model_summary")) {
                    text = true;
                    assertTrue(v.getTensor().getStringVal(0).toStringUtf8().contains("Dense"));
                }
                if (v.hasImage()) images++;
            }
        }
        assertEquals(List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"), histograms);
        assertTrue(text, "the model summary is in the Text tab");
        assertEquals(2, images);
        assertFalse(EventFileReader.read(EventFileReader.onlyFile(dir)).events().isEmpty(), "hparams at the top");

        List<Event> graphs = trainEvents.stream().filter(Event::hasGraphDef).toList();
        assertEquals(1, graphs.size());
        GraphDef g = GraphDef.parseFrom(graphs.get(0).getGraphDef());
        Set<String> names = new HashSet<>();
        for (NodeDef n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                String source = in.replaceFirst("^\\^", "").replaceFirst(":\\d+$", "");
                assertTrue(names.contains(source), n.getName() + " reads " + in + ", not defined before it");
            }
            assertTrue(names.add(n.getName()), "two nodes named " + n.getName());
            assertTrue(n.getAttrMap().containsKey("_output_shapes"), n.getName());
        }
        List<String> ops = g.getNodeList().stream().map(NodeDef::getOp).toList();
        List<String> scopes = g.getNodeList().stream().map(n -> n.getName().split("/")[0]).distinct().toList();
        assertEquals(List.of("arg0", "dense", "dense_1"), scopes, "one name scope per layer");
        assertTrue(ops.contains("MatMul") && ops.contains("Tanh"), ops.toString());
        NodeDef matmul = g.getNodeList().stream().filter(n -> n.getOp().equals("MatMul")).findFirst().orElseThrow();
        TensorShapeProto out = matmul.getAttrOrThrow("_output_shapes").getList().getShape(0);
        assertEquals(List.of(-1L, 4L), out.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList());
    }

    @Test
    void gradientHistogramsShowTheLossGradientsOnTheGivenBatch() throws Exception {
        Sequential m = new Sequential(new Dense(1));
        m.seed(3);
        m.input(3);
        m.compile(new SGD(0.1), Losses.meanSquaredError());
        TensorBoard tb = new TensorBoard(dir).writeGraph(false).gradientHistograms(X, Y);
        m.fit(X, Y, FitOptions.epochs(1).batchSize(8).verbose(0).callbacks(tb));
        // the gradient of mean((x w + b - y)^2) at the weights after the epoch, in float64 by hand
        float[] w = m.variablesByName().get("dense/kernel").read().toFloatArray();
        float b = m.variablesByName().get("dense/bias").read().toFloatArray()[0];
        float[] x = X.toFloatArray(), y = Y.toFloatArray();
        double[] gw = new double[3];
        double gb = 0;
        for (int r = 0; r < 32; r++) {
            double err = b - y[r];
            for (int k = 0; k < 3; k++) err += (double) x[r * 3 + k] * w[k];
            for (int k = 0; k < 3; k++) gw[k] += 2 * err * x[r * 3 + k] / 32;
            gb += 2 * err / 32;
        }
        Map<String, org.nabla.nn.summary.proto.HistogramProto> histos = new LinkedHashMap<>();
        for (Event e : events(dir.resolve("train"))) {
            for (Summary.Value v : e.getSummary().getValueList()) if (v.hasHisto()) histos.put(v.getTag(), v.getHisto());
        }
        assertEquals(List.of("dense/kernel", "dense/bias", "dense/kernel_grad", "dense/bias_grad"),
                List.copyOf(histos.keySet()));
        org.nabla.nn.summary.proto.HistogramProto k = histos.get("dense/kernel_grad");
        assertEquals(3, k.getNum(), 0);
        assertEquals(gw[0] + gw[1] + gw[2], k.getSum(), 1e-5);
        assertEquals(java.util.Arrays.stream(gw).min().orElseThrow(), k.getMin(), 1e-5);
        assertEquals(java.util.Arrays.stream(gw).max().orElseThrow(), k.getMax(), 1e-5);
        assertEquals(gb, histos.get("dense/bias_grad").getSum(), 1e-5);
        assertEquals(m.gradients(X, Y).keySet(), java.util.Set.of("dense/kernel", "dense/bias"));
    }

    @Test
    void aPngFileIsShownAfterEachEpochThatRedrewIt() throws Exception {
        Path chart = dir.resolve("curves.png");
        TensorBoard tb = new TensorBoard(dir.resolve("logs")).histogramFreq(0).writeGraph(false)
                .pngEachEpoch("training_curves", chart);
        // drawn after epochs 1 and 3 (nabla train redraws curves.png only now and then): skipped while missing, and a
        // file not redrawn since it was shown is not shown again
        org.nabla.nn.callbacks.Callback draw = new org.nabla.nn.callbacks.Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                try {
                    byte[] rgb = new byte[6 * 8 * 3];
                    java.util.Arrays.fill(rgb, (byte) (40 * epoch));
                    if (epoch % 2 == 1) java.nio.file.Files.write(chart, Png.encode(rgb, 6, 8, 3));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        model().fit(X, Y, FitOptions.epochs(4).batchSize(8).verbose(0).callbacks(draw, tb));
        List<Long> steps = new ArrayList<>();
        for (Event e : events(dir.resolve("logs/train"))) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                if (v.hasHisto()) throw new AssertionError("histogramFreq(0) writes no histograms");
                if (v.getTag().equals("training_curves")) {
                    steps.add(e.getStep());
                    assertEquals(6, v.getImage().getHeight());
                    assertEquals(8, v.getImage().getWidth());
                }
            }
            assertFalse(e.hasGraphDef(), "writeGraph(false)");
        }
        assertEquals(List.of(1L, 3L), steps);
        assertFalse(java.nio.file.Files.exists(dir.resolve("logs/validation")), "no validation data, no such run");
    }

    static List<Event> events(Path runDir) throws Exception {
        EventFileReader r = EventFileReader.read(EventFileReader.onlyFile(runDir));
        assertFalse(r.truncatedTail());
        return r.events();
    }

    /** tag -> [step, value] pairs of the simple values. */
    static Map<String, List<double[]>> scalars(List<Event> events) {
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        for (Event e : events) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
                    m.computeIfAbsent(v.getTag(), k -> new ArrayList<>()).add(new double[] {e.getStep(),
                            v.getSimpleValue()});
                }
            }
        }
        return m;
    }

    /** Logged values are 32-bit floats at steps 0, 1, 2... */
    static void assertSeries(List<Double> expected, List<double[]> logged) {
        assertEquals(expected.size(), logged.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(i, (long) logged.get(i)[0]);
            assertEquals((float) (double) expected.get(i), (float) logged.get(i)[1], 0);
        }
    }
}
