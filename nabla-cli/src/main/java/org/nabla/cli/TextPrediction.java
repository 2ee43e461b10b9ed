package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.data.text.TextVectorizer;
import org.nabla.io.Json;
import org.nabla.nn.saving.SavedModel;

/**
 * {@code nabla predict --text}: texts through a text model's run folder, its vocabulary ({@code vocabulary.txt})
 * and saved model, printing each text's class and probabilities.
 */
final class TextPrediction {
    private TextPrediction() { }

    /** Classifies {@code texts} with the run folder {@code run}; prints one line per text. */
    static int print(Path run, List<String> texts) throws IOException {
        Path vocabulary = run.resolve(TrainingData.VOCABULARY_FILE);
        if (!Files.isRegularFile(vocabulary)) {
            throw new IOException(run + " holds no " + TrainingData.VOCABULARY_FILE + ": --text needs the run folder "
                    + "of a text model (nabla train --dataset spam)");
        }
        TextVectorizer v = TextVectorizer.load(vocabulary);
        List<String> names = classNames(run);
        try (SavedModel model = SavedModel.load(run.resolve(CliSupport.MODEL_DIR))) {
            int length = model.inputs().get(0).spec().shape().dim(1);
            float[] p = model.predict(v.encode(texts, length))[1].toFloatArray();
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

    /** ham/spam for the spam dataset (from the run's metrics.json), else the class indices. */
    private static List<String> classNames(Path run) throws IOException {
        Path metrics = run.resolve("metrics.json");
        if (Files.isRegularFile(metrics) && Json.parse(Files.readString(metrics)) instanceof Map<?, ?> m
                && "spam".equals(m.get("dataset"))) {
            return List.of("ham", "spam");
        }
        return List.of();
    }

    private static String name(List<String> names, int k) { return k < names.size() ? names.get(k) : Integer.toString(k); }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return "\"" + (oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...") + "\"";
    }
}
