package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.datasets.SpamAssassin;
import org.nabla.data.text.TextVectorizer;
import org.nabla.io.Json;
import org.nabla.nn.saving.SavedModel;

/** {@code nabla train --dataset spam}: a text model trains, and its run folder holds the model and its vocabulary. */
class TrainTextTest {
    @TempDir Path tmp;

    @Test
    void aTransformerTrainsOnTheSpamCorpusAndSavesItsVocabulary() throws Exception {
        Assumptions.assumeTrue(SpamAssassin.available(), "the SpamAssassin corpus is not installed "
                + "(scripts/setup-datasets.sh spam); skipping nabla train --dataset spam");
        Path out = tmp.resolve("run");
        CommandsTest.Result r = CommandsTest.run("train", "--dataset", "spam", "--model", "transformer", "--epochs", "1",
                "--limit", "96", "--out", out.toString(), "--quiet", "--no-tensorboard");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("transformer on SpamAssassin corpus (96 train, 96 test messages"), r.out());
        TextVectorizer v = TextVectorizer.load(out.resolve(TrainingData.VOCABULARY_FILE));
        assertEquals(TextVectorizer.adapt(SpamAssassin.load().train().texts().subList(0, 96), 20_000).vocabulary(),
                v.vocabulary());
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        double accuracy = ((Number) metrics.get("test_accuracy")).doubleValue();
        assertTrue(accuracy >= 0 && accuracy <= 1, metrics.toString());
        CommandsTest.Result predicted = CommandsTest.run("predict", "--model", out.toString(), "--text", "WIN MONEY NOW!!!",
                "--text", "meeting notes attached");
        assertEquals(0, predicted.code(), predicted.all());
        String lines = predicted.out();
        assertTrue(lines.contains("\"WIN MONEY NOW!!!\": ") && lines.contains("ham=") && lines.contains("spam="), lines);
        assertEquals(2, lines.lines().count(), lines);
        try (SavedModel m = SavedModel.load(out.resolve("model"))) {
            // the saved model takes raw text (its TextVectorization holds the vocabulary)
            assertEquals("text", m.inputs().get(0).name());
            assertEquals(DType.STRING, m.inputs().get(0).spec().dtype());
            assertArrayEquals(new int[] {-1}, m.inputs().get(0).spec().shape().dims());
            Tensor p = m.predict(Tensors.of(new String[] {"WIN money now", "meeting notes attached"}))[1];
            float[] probs = p.toFloatArray();
            assertEquals(4, probs.length);
            assertEquals(1.0, probs[0] + probs[1], 1e-5);
        }
    }

    @Test
    void theJitWarmUpChangesNoResult() throws Exception {
        Assumptions.assumeTrue(SpamAssassin.available(), "the SpamAssassin corpus is not installed");
        Map<String, Object> without = trainMetrics("0"), with = trainMetrics("2");
        assertEquals(0, ((Number) without.get("warm_up_steps")).intValue());
        assertEquals(2, ((Number) with.get("warm_up_steps")).intValue());
        assertTrue(((Number) with.get("warm_up_seconds")).doubleValue() > 0, with.toString());
        assertEquals(without.get("test_loss"), with.get("test_loss"));
        assertEquals(without.get("test_accuracy"), with.get("test_accuracy"));
    }

    private Map<String, Object> trainMetrics(String warmUp) throws Exception {
        Path out = tmp.resolve("warm-" + warmUp);
        CommandsTest.Result r = CommandsTest.run("train", "--dataset", "spam", "--model", "transformer", "--epochs", "1",
                "--limit", "64", "--warm-up", warmUp, "--out", out.toString(), "--quiet", "--no-tensorboard");
        assertEquals(0, r.code(), r.all());
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        return metrics;
    }

    @Test
    void theWarmUpIsForTextModels() {
        CommandsTest.assertFails(CommandsTest.run("train", "--dataset", "mnist", "--model", "mlp", "--warm-up", "2",
                "--out", tmp.resolve("x").toString()), "train", "--warm-up is for the text models");
        CommandsTest.assertFails(CommandsTest.run("train", "--dataset", "spam", "--model", "lstm", "--warm-up", "-1",
                "--out", tmp.resolve("y").toString()), "train", "--warm-up must be >= 0");
    }

    @Test
    void predictTextNeedsATextRunFolder() {
        CommandsTest.assertFails(CommandsTest.run("predict", "--model", tmp.toString(), "--text", "hello"), "predict",
                "holds no saved model");
        CommandsTest.assertFails(CommandsTest.run("predict", "--model", tmp.toString()), "predict",
                "give image files or --text TEXT");
    }

    @Test
    void aTextDatasetTakesOnlyTextModels() {
        CommandsTest.assertFails(CommandsTest.run("train", "--dataset", "spam", "--model", "cnn", "--out",
                tmp.resolve("x").toString()), "train", "unknown model 'cnn'; choose one of lstm, transformer");
    }
}
