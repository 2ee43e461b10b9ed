package org.nabla.nn.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.graph.FuncGraph;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphContext;
import org.nabla.nn.Layer;
import org.nabla.nn.Model;
import org.nabla.nn.Sequential;
import org.nabla.nn.summary.GraphDefs;
import org.nabla.nn.summary.SummaryWriter;
import org.nabla.ops.TensorSpec;

/**
 * Writes TensorBoard logs during {@code fit}, laid out as Keras' callback does: {@code logDir/train} gets
 * {@code epoch_loss}, {@code epoch_<metric>} and {@code epoch_learning_rate} per epoch (step = epoch, 0-based),
 * {@code batch_<name>} every {@link #updateFreq} batches (step = optimizer iterations), weight histograms every
 * {@link #histogramFreq} epochs, the model summary as text, the inference graph and optional images;
 * {@code logDir/validation} gets the {@code val_} values under the same {@code epoch_} tags, so TensorBoard draws both
 * curves in one chart. Optional hyperparameters go to {@code logDir} itself for the HParams tab. Epoch summaries reach
 * the file at each epoch end (docs/nn.md, "TensorBoard").
 */
public final class TensorBoard implements Callback {
    private final Path logDir;
    private int updateFreq;
    private int histogramFreq = 1;
    private Tensor[] gradientBatch;
    private boolean writeGraph = true;
    private Tensor images;
    private Map<String, Object> hparams;
    private final Map<String, Path> epochPngs = new LinkedHashMap<>();
    /** The bytes each png tag showed last: a file not redrawn since is not shown again. */
    private final Map<String, byte[]> pngsShown = new LinkedHashMap<>();
    private Model model;
    private SummaryWriter train, validation;
    private boolean summaryWritten;

    /** Logs into {@code logDir} (created if missing); per-epoch scalars and weight histograms. */
    public TensorBoard(Path logDir) { this.logDir = logDir; }

    /** Also logs the running batch means every {@code batches} batches; 0 (the default) logs per epoch only. */
    public TensorBoard updateFreq(int batches) {
        if (batches < 0) throw new IllegalArgumentException("updateFreq must be >= 0, got " + batches);
        updateFreq = batches;
        return this;
    }

    /** Weight histograms every {@code epochs} epochs (default 1); 0 turns them off. */
    public TensorBoard histogramFreq(int epochs) {
        if (epochs < 0) throw new IllegalArgumentException("histogramFreq must be >= 0, got " + epochs);
        histogramFreq = epochs;
        return this;
    }

    /** Whether to write the model's inference graph for the Graphs tab (default true). */
    public TensorBoard writeGraph(boolean write) {
        writeGraph = write;
        return this;
    }

    /** A few example inputs shown in the Images tab: {@code [n, height, width]} or {@code [n, height, width, c]}. */
    public TensorBoard images(Tensor examples) {
        int[] d = examples.shape().dims();
        if (d.length != 3 && d.length != 4) {
            throw new IllegalArgumentException("TensorBoard.images: expected [n, height, width] or [n, height, width, "
                    + "channels], got shape " + examples.shape());
        }
        images = d.length == 3 ? examples.reshape(d[0], d[1], d[2], 1) : examples;
        return this;
    }

    /**
     * Shows the PNG file {@code png} in the Images tab under {@code tag} after every epoch, as it is then (a chart
     * another callback redraws, such as {@code nabla train}'s curves.png); skipped while it does not exist or has
     * not changed since it was last shown.
     */
    public TensorBoard pngEachEpoch(String tag, Path png) {
        epochPngs.put(tag, png);
        return this;
    }

    /**
     * Also writes histograms of the loss gradients (tag {@code NAME_grad}, as Keras' {@code write_grads} did) with the
     * weight histograms, computed on this one batch {x..., y...} of training data with {@link Model#gradients}: a
     * fixed batch makes epochs comparable. The batch must fit the model the callback is given.
     */
    public TensorBoard gradientHistograms(Tensor... batch) {
        if (batch.length == 0) throw new IllegalArgumentException("TensorBoard.gradientHistograms: give a batch "
                + "{x..., y...} of training data");
        gradientBatch = batch.clone();
        return this;
    }

    /** Hyperparameters (numbers, strings, booleans) for the HParams tab, written when training begins. */
    public TensorBoard hparams(Map<String, Object> values) {
        hparams = new LinkedHashMap<>(values);
        return this;
    }

    @Override public void setModel(Model m) { model = m; }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        closeWriters();
        try {
            train = SummaryWriter.create(logDir.resolve("train"));
            validation = null;  // made at the first val_ value: a fit without validation data has no such run
            if (hparams != null) {
                try (SummaryWriter top = SummaryWriter.create(logDir)) {
                    top.hparams(hparams);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot create event files in " + logDir + ": "
                    + e.getMessage(), e);
        }
        summaryWritten = false;
        if (images != null) train.image("inputs", images, 0);
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        if (updateFreq == 0 || (batch + 1) % updateFreq != 0 || train == null) return;
        long step = model != null && model.optimizer() != null ? model.optimizer().step() : batch;
        logs.forEach((k, v) -> train.scalar("batch_" + k, v, step));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (train == null) return;
        if (!summaryWritten && model != null && model.isBuilt()) {  // fit builds the model on its first batch
            train.text("model_summary", asFixedWidth(model.summary()), epoch);
            if (writeGraph) train.graph(GraphDefs.toGraphDef(inferenceGraph(model)));
            summaryWritten = true;
        }
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            String k = e.getKey();
            if (k.equals("learning_rate")) continue;  // LearningRateScheduler's copy; the optimizer's is below
            if (k.startsWith("val_")) validation().scalar("epoch_" + k.substring(4), e.getValue(), epoch);
            else train.scalar("epoch_" + k, e.getValue(), epoch);
        }
        if (model != null && model.optimizer() != null) {
            train.scalar("epoch_learning_rate", model.optimizer().learningRate(), epoch);
        }
        if (model != null && histogramFreq > 0 && epoch % histogramFreq == 0) {
            // tags are the stable names checkpoints use ("dense/kernel")
            for (Map.Entry<String, Variable> w : model.variablesByName().entrySet()) {
                Tensor v = w.getValue().read();
                // a weight gone NaN is for TerminateOnNaN to report; its histogram is left out, not the run stopped
                if (v.dtype().isFloating() && v.shape().size() > 0 && allFinite(v)) {
                    train.histogram(w.getKey(), v, epoch);
                }
            }
            if (gradientBatch != null && model.optimizer() != null) {
                for (Map.Entry<String, Tensor> g : model.gradients(gradientBatch).entrySet()) {
                    Tensor v = g.getValue();
                    if (v.dtype().isFloating() && v.shape().size() > 0 && allFinite(v)) {
                        train.histogram(g.getKey() + "_grad", v, epoch);
                    }
                }
            }
        }
        for (Map.Entry<String, Path> png : epochPngs.entrySet()) {
            if (!Files.isRegularFile(png.getValue())) continue;
            try {
                byte[] bytes = Files.readAllBytes(png.getValue());
                if (Arrays.equals(bytes, pngsShown.get(png.getKey()))) continue;
                train.imagePng(png.getKey(), bytes, epoch);
                pngsShown.put(png.getKey(), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("TensorBoard: cannot read " + png.getValue() + ": " + e.getMessage(), e);
            }
        }
        train.flush();
        if (validation != null) validation.flush();
    }

    private SummaryWriter validation() {
        if (validation == null) {
            try {
                validation = SummaryWriter.create(logDir.resolve("validation"));
            } catch (IOException e) {
                throw new UncheckedIOException("TensorBoard: cannot create an event file in " + logDir.resolve(
                        "validation") + ": " + e.getMessage(), e);
            }
        }
        return validation;
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) { closeWriters(); }

    /** The event files written by the last (or current) fit, train's then validation's. */
    public List<Path> files() {
        List<Path> f = new ArrayList<>();
        if (train != null) f.add(train.file());
        if (validation != null) f.add(validation.file());
        return f;
    }

    private void closeWriters() {
        try {
            if (train != null) train.close();
        } finally {
            if (validation != null) validation.close();
        }
    }

    /**
     * The graph {@code model.save} would save: {@code call} in inference mode traced for any batch size. A Sequential
     * model's layers are called one by one, each in a name scope of its own, so the Graphs tab shows a box per layer.
     */
    static Graph inferenceGraph(Model model) {
        DType dtype = model.layers().isEmpty() ? DType.FLOAT32 : model.layers().getFirst().dtype();
        List<TensorSpec> specs = model.inputShapes().stream().map(s -> TensorSpec.of(dtype, s)).toList();
        return FuncGraph.trace(model.name(), specs,
                model instanceof Sequential seq ? in -> layerByLayer(seq, in[0]) : in -> model.call(in, false)).graph();
    }

    private static Tensor[] layerByLayer(Sequential model, Tensor x) {
        Graph g = ((GraphContext) ExecutionContext.current()).graph();  // FuncGraph.trace's context
        for (Layer layer : model.layers()) {
            try (Graph.ControlScope scope = g.nameScope(layer.name())) {
                x = layer.call(x);
            }
        }
        return new Tensor[] {x};
    }

    private static boolean allFinite(Tensor t) {
        if (t.dtype() == DType.FLOAT64) {
            for (double d : t.toDoubleArray()) if (!Double.isFinite(d)) return false;
        } else {
            for (float f : t.toFloatArray()) if (!Float.isFinite(f)) return false;
        }
        return true;
    }

    /** Markdown shows lines indented by four spaces as they are (the summary is a fixed-width table). */
    static String asFixedWidth(String text) { return "    " + text.strip().replace("\n", "\n    "); }
}
