package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.datasets.FirstNames;
import org.nabla.data.text.TextVectorizer;
import org.nabla.io.Json;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/**
 * {@code nabla predict --text}: texts through a text model's saved model (which takes raw text; one saved before
 * that takes the ids of the run folder's {@code vocabulary.txt}), printing each text's class and probabilities.
 */
final class TextPrediction {
    private TextPrediction() { }

    /** Classifies {@code texts} with the run folder {@code run}; prints one line per text. */
    static int print(Path run, List<String> texts) throws IOException {
        Path dir = Files.isRegularFile(run.resolve(SavedModel.SIGNATURE_FILE)) ? run : run.resolve(CliSupport.MODEL_DIR);
        if (!Files.isDirectory(dir)) {
            throw new IOException(run + " holds no saved model: --text needs the run folder of a text model (nabla "
                    + "train --dataset spam or names) or its model folder");
        }
        List<String> names = classNames(dir == run ? run.getParent() : run);
        try (SavedModel model = SavedModel.load(dir)) {
            float[] p = model.predict(inputs(model, run, texts))[1].toFloatArray();
            int k = p.length / texts.size();
            for (int i = 0; i < texts.size(); i++) {
                int best = 0;
                for (int c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %s (%.1f%%)  probabilities:",
                        abbreviate(texts.get(i)), name(names, best), 100 * p[i * k + best]));
                for (int c = 0; c < k; c++) b.append(String.format(Locale.ROOT, " %s=%.3f", name(names, c), p[i * k + c]));
                System.out.println(b);
            }
        }
        return 0;
    }

    /**
     * The model's input for {@code texts}: the texts themselves for a model that takes raw text (a string input),
     * else their ids from the run folder's vocabulary (a model saved before text inputs).
     */
    private static Tensor inputs(SavedModel model, Path run, List<String> texts) throws IOException {
        TensorSpec spec = model.inputs().get(0).spec();
        if (spec.dtype() == DType.STRING) return Tensors.of(texts.toArray(String[]::new));
        Path vocabulary = run.resolve(TrainingData.VOCABULARY_FILE);
        if (!Files.isRegularFile(vocabulary)) {
            throw new IOException(run + " holds no " + TrainingData.VOCABULARY_FILE + " for the model's token ids");
        }
        return TextVectorizer.load(vocabulary).encode(texts, spec.shape().dim(1));
    }

    /** ham/spam or female/male for the spam and names datasets (from the run's metrics.json), else the indices. */
    private static List<String> classNames(Path run) throws IOException {
        Path metrics = run == null ? null : run.resolve("metrics.json");
        if (metrics == null || !Files.isRegularFile(metrics)) return List.of();
        if (Json.parse(Files.readString(metrics)) instanceof Map<?, ?> m) {
            if ("spam".equals(m.get("dataset"))) return List.of("ham", "spam");
            if ("names".equals(m.get("dataset"))) return FirstNames.CLASSES;
        }
        return List.of();
    }

    private static String name(List<String> names, int k) { return k < names.size() ? names.get(k) : Integer.toString(k); }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return "\"" + (oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...") + "\"";
    }
}
