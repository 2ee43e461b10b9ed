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
import org.nabla.ops.TensorSpec;

/**
 * A 28x28 image classifier with 10 classes, from what the user named with {@code --model}: a saved model directory
 * (or a training run's output folder holding {@code model/}), or a reference model name ({@code mlp}, {@code cnn})
 * whose weights come from {@code --checkpoint}. Evaluating and predicting from a saved model uses no model code.
 */
final class Classifier implements AutoCloseable {
    private static final int CHUNK = 500;

    private final SavedModel saved;
    private final Sequential reference;
    private final String description;
    private final boolean rank4Input;
    private final int logitsOutput;

    private Classifier(SavedModel saved, Sequential reference, String description, boolean rank4Input,
                       int logitsOutput) {
        this.saved = saved;
        this.reference = reference;
        this.description = description;
        this.rank4Input = rank4Input;
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
            return new Classifier(null, m, desc, true, 0);
        }
        if (checkpoint != null) {
            throw new IllegalArgumentException("--checkpoint goes with --model mlp or cnn; a saved model directory "
                    + "holds its own weights");
        }
        Path dir = savedModelDir(spec);
        SavedModel s = SavedModel.load(dir);
        try {
            return new Classifier(s, null, "saved model " + dir, checkInputs(s), logitsOutput(s));
        } catch (IOException | RuntimeException e) {
            s.close();
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

    private static boolean checkInputs(SavedModel s) throws IOException {
        List<SavedModel.IOSpec> in = s.inputs();
        if (in.size() == 1 && in.get(0).spec().dtype() == DType.FLOAT32) {
            int[] d = in.get(0).spec().shape().dims();
            boolean okBatch = d.length >= 1 && d[0] == -1;
            if (okBatch && d.length == 3 && d[1] == CliSupport.SIDE && d[2] == CliSupport.SIDE) return false;
            if (okBatch && d.length == 4 && d[1] == CliSupport.SIDE && d[2] == CliSupport.SIDE && d[3] == 1) {
                return true;
            }
        }
        throw new IOException(s.directory() + ": this saved model is not a 28x28 image classifier (inputs " + in
                + ", outputs " + s.outputs() + "); expected one input float32(None, 28, 28) and logits (None, 10) "
                + "(saved from another model?)");
    }

    private static int logitsOutput(SavedModel s) throws IOException {
        List<SavedModel.IOSpec> out = s.outputs();
        int pick = 0;
        for (int i = 0; i < out.size(); i++) if (out.get(i).name().equals("logits")) pick = i;
        int[] d = out.get(pick).spec().shape().dims();
        if (d.length != 2 || d[1] != CliSupport.CLASSES || out.get(pick).spec().dtype() != DType.FLOAT32) {
            throw new IOException(s.directory() + ": this saved model's output " + out.get(pick)
                    + " is not float32 logits (None, 10) of 10 classes (saved from another model?)");
        }
        return pick;
    }

    String description() { return description; }

    Sequential reference() { return reference; }

    SavedModel saved() { return saved; }

    /** The prediction graph: the saved one, or the reference model's inference function traced now. */
    Graph graph() {
        if (saved != null) return saved.graph();
        Sequential m = reference;
        return org.nabla.Function.of("predict", in -> new Tensor[] {m.call(in[0])})
                .graph(TensorSpec.of(DType.FLOAT32, Shape.of(-1, CliSupport.SIDE, CliSupport.SIDE, 1))).graph();
    }

    /** Logits [N, 10] of float32 images [N, 28, 28] in [0, 1], computed in chunks. */
    float[] logits(Tensor images) {
        int n = images.shape().dim(0);
        float[] px = images.toFloatArray();
        int per = CliSupport.SIDE * CliSupport.SIDE;
        List<float[]> parts = new ArrayList<>();
        for (int from = 0; from < n; from += CHUNK) {
            int rows = Math.min(CHUNK, n - from);
            float[] chunk = new float[rows * per];
            System.arraycopy(px, from * per, chunk, 0, chunk.length);
            Tensor x = Tensor.wrap(DType.FLOAT32, saved == null || rank4Input
                    ? Shape.of(rows, CliSupport.SIDE, CliSupport.SIDE, 1) : Shape.of(rows, CliSupport.SIDE,
                    CliSupport.SIDE), chunk);
            Tensor out = saved != null ? saved.predict(x)[logitsOutput] : reference.call(x);
            parts.add(out.toFloatArray());
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
    }
}
