package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.graph.Graph;
import org.nabla.nn.Sequential;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.CheckpointManager;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.OnnxImporter;
import org.nabla.onnx.OnnxModel;
import org.nabla.onnx.OnnxSignature;
import org.nabla.ops.TensorSpec;

/**
 * A 28x28 image classifier with 10 classes, from what the user named with {@code --model}: a saved model directory
 * (or a training run's output folder holding {@code model/}), or a reference model name ({@code mlp}, {@code cnn})
 * whose weights come from {@code --checkpoint}. Evaluating and predicting from a saved model uses no model code.
 */
final class Classifier implements AutoCloseable {
    private static final int CHUNK = 500;

    private static final int[] NHWC = {CliSupport.SIDE, CliSupport.SIDE, 1};

    private final SavedModel saved;
    private final Sequential reference;
    private final OnnxModel onnx;
    private final String description;
    /** The input's dims after the batch: [28, 28], [28, 28, 1], [1, 28, 28] or [784]. */
    private final int[] sampleDims;
    /** The batch size an ONNX model was exported with, or -1 when any size goes. */
    private final int fixedBatch;
    private final int logitsOutput;

    private Classifier(SavedModel saved, Sequential reference, OnnxModel onnx, String description, int[] sampleDims,
                       int fixedBatch, int logitsOutput) {
        this.saved = saved;
        this.reference = reference;
        this.onnx = onnx;
        this.description = description;
        this.sampleDims = sampleDims;
        this.fixedBatch = fixedBatch;
        this.logitsOutput = logitsOutput;
    }

    /** Whether {@code spec} names a reference model rather than a directory. */
    static boolean isReferenceName(String spec) {
        return CliSupport.MODELS.contains(spec) && !Files.isDirectory(Path.of(spec));
    }

    /** The saved model directory {@code spec} names: itself, or its {@code model/} (a training run's folder). */
    static Path savedModelDir(String spec) throws IOException {
        Path dir = Path.of(spec);
        if (!Files.exists(dir)) {
            throw new IOException(spec + ": no such saved model directory (--model takes a directory written by "
                    + "nabla train, or mlp/cnn with --checkpoint FILE)");
        }
        if (!Files.isRegularFile(dir.resolve(SavedModel.SIGNATURE_FILE))
                && Files.isRegularFile(dir.resolve(CliSupport.MODEL_DIR).resolve(SavedModel.SIGNATURE_FILE))) {
            return dir.resolve(CliSupport.MODEL_DIR);
        }
        return dir;
    }

    /** Opens the classifier; {@code checkpoint} only with a reference model name. */
    static Classifier open(String spec, Path checkpoint, boolean needWeights) throws IOException {
        if (isReferenceName(spec)) {
            Sequential m = CliSupport.referenceModel(spec, 42);
            String desc = spec + " (reference model, initial weights)";
            if (checkpoint != null) {
                Path file = checkpointFile(checkpoint);
                Checkpoint.restore(file, CliSupport.trainingState(m));
                desc = spec + " with weights from " + file;
            } else if (needWeights) {
                throw new IllegalArgumentException("--model " + spec + " needs --checkpoint FILE for its weights (or "
                        + "give --model a saved model directory written by nabla train)");
            }
            return new Classifier(null, m, null, desc, NHWC, -1, 0);
        }
        if (checkpoint != null) {
            throw new IllegalArgumentException("--checkpoint goes with --model mlp or cnn; a saved model directory "
                    + "holds its own weights");
        }
        if (spec.endsWith(".onnx") || Files.isRegularFile(Path.of(spec))) return openOnnx(Path.of(spec));
        Path dir = savedModelDir(spec);
        SavedModel s = SavedModel.load(dir);
        try {
            List<TensorSpec> out = s.outputs().stream().map(SavedModel.IOSpec::spec).toList();
            List<String> outNames = s.outputs().stream().map(SavedModel.IOSpec::name).toList();
            int[] dims = sampleDims(s.inputs().stream().map(SavedModel.IOSpec::spec).toList(), dir, false);
            return new Classifier(s, null, null, "saved model " + dir, dims, -1, logitsOutput(out, outNames, dir));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** An ONNX image classifier: one float input of 28x28 pixels in any usual layout, logits (N, 10). */
    private static Classifier openOnnx(Path file) throws IOException {
        OnnxModel m = OnnxImporter.load(file);
        try {
            List<TensorSpec> in = m.inputs().stream().map(OnnxSignature.Value::spec).toList();
            List<TensorSpec> out = m.outputs().stream().map(OnnxSignature.Value::spec).toList();
            List<String> outNames = m.outputs().stream().map(OnnxSignature.Value::name).toList();
            int[] dims = sampleDims(in, file, true);
            int batch = in.get(0).shape().dim(0);
            return new Classifier(null, null, m, "ONNX model " + file, dims, batch, logitsOutput(out, outNames, file));
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A checkpoint file, or the latest one of a checkpoint folder (or of a run folder's checkpoints/). */
    static Path checkpointFile(Path p) throws IOException {
        if (Files.isRegularFile(p)) return p;
        if (!Files.isDirectory(p)) throw new IOException(p + ": no such checkpoint file");
        Path dir = Files.isRegularFile(p.resolve(CheckpointManager.INDEX)) ? p : p.resolve(CliSupport.CHECKPOINT_DIR);
        if (!Files.isRegularFile(dir.resolve(CheckpointManager.INDEX))) {
            throw new IOException(p + ": a folder without checkpoints (no " + CheckpointManager.INDEX + ")");
        }
        Optional<Path> latest = new CheckpointManager(dir, Integer.MAX_VALUE).latest();
        if (latest.isEmpty()) throw new IOException(dir + ": the checkpoint index lists no checkpoint");
        return latest.get();
    }

    /** The per-image dims the model's single float32 input takes after the batch dimension. */
    private static int[] sampleDims(List<TensorSpec> in, Path where, boolean fixedBatchOk) throws IOException {
        if (in.size() == 1 && in.get(0).dtype() == DType.FLOAT32) {
            int[] d = in.get(0).shape().dims();
            int s = CliSupport.SIDE;
            boolean okBatch = d.length >= 1 && (d[0] == -1 || fixedBatchOk && d[0] > 0);
            int[] rest = d.length >= 1 ? java.util.Arrays.copyOfRange(d, 1, d.length) : d;
            for (int[] layout : new int[][] {{s, s}, {s, s, 1}, {1, s, s}, {s * s}}) {
                if (okBatch && java.util.Arrays.equals(rest, layout)) return layout;
            }
        }
        throw new IOException(where + ": this model is not a 28x28 image classifier (inputs " + in + "); expected one "
                + "float32 input (None, 28, 28), (None, 28, 28, 1), (None, 1, 28, 28) or (None, 784) and logits "
                + "(None, 10) (saved from another model?)");
    }

    private static int logitsOutput(List<TensorSpec> out, List<String> names, Path where) throws IOException {
        int pick = 0;
        for (int i = 0; i < out.size(); i++) if (names.get(i).equals("logits")) pick = i;
        int[] d = out.get(pick).shape().dims();
        if (d.length != 2 || d[1] != CliSupport.CLASSES || out.get(pick).dtype() != DType.FLOAT32) {
            throw new IOException(where + ": this model's output " + names.get(pick) + ": " + out.get(pick)
                    + " is not float32 logits (None, 10) of 10 classes (saved from another model?)");
        }
        return pick;
    }

    String description() { return description; }

    Sequential reference() { return reference; }

    SavedModel saved() { return saved; }

    /** The prediction graph: the saved or imported one, or the reference model's inference function traced now. */
    Graph graph() {
        if (saved != null) return saved.graph();
        if (onnx != null) return onnx.graph();
        Sequential m = reference;
        return org.nabla.TracedFunction.of("predict", in -> new Tensor[] {m.call(in[0])})
                .graph(TensorSpec.of(DType.FLOAT32, Shape.of(-1, CliSupport.SIDE, CliSupport.SIDE, 1))).graph();
    }

    /** Logits [N, 10] of float32 images [N, 28, 28] in [0, 1], computed in chunks. */
    float[] logits(Tensor images) {
        int n = images.shape().dim(0);
        float[] px = images.toFloatArray();
        int per = CliSupport.SIDE * CliSupport.SIDE;
        List<float[]> parts = new ArrayList<>();
        int step = fixedBatch > 0 ? fixedBatch : CHUNK;
        for (int from = 0; from < n; from += step) {
            int rows = Math.min(step, n - from);
            // A model exported for a fixed batch gets full batches (the padding rows' outputs are dropped).
            int fed = fixedBatch > 0 ? fixedBatch : rows;
            float[] chunk = new float[fed * per];
            System.arraycopy(px, from * per, chunk, 0, rows * per);
            int[] shape = new int[sampleDims.length + 1];
            shape[0] = fed;
            System.arraycopy(sampleDims, 0, shape, 1, sampleDims.length);
            Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(shape), chunk);
            Tensor out = saved != null ? saved.predict(x)[logitsOutput]
                    : onnx != null ? onnx.run(x)[logitsOutput] : reference.call(x);
            float[] v = out.toFloatArray();
            parts.add(fed == rows ? v : java.util.Arrays.copyOf(v, rows * CliSupport.CLASSES));
        }
        float[] all = new float[n * CliSupport.CLASSES];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static float[] softmaxRow(float[] logits, int row) {
        int base = row * CliSupport.CLASSES;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CliSupport.CLASSES; c++) max = Math.max(max, logits[base + c]);
        double sum = 0;
        double[] e = new double[CliSupport.CLASSES];
        for (int c = 0; c < CliSupport.CLASSES; c++) sum += e[c] = Math.exp(logits[base + c] - max);
        float[] p = new float[CliSupport.CLASSES];
        for (int c = 0; c < CliSupport.CLASSES; c++) p[c] = (float) (e[c] / sum);
        return p;
    }

    @Override
    public void close() {
        if (saved != null) saved.close();
        if (onnx != null) onnx.close();
    }
}
