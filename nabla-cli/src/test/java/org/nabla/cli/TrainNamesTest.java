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
import org.nabla.data.datasets.FirstNames;
import org.nabla.io.Json;
import org.nabla.nn.layers.TextVectorization;
import org.nabla.nn.saving.SavedModel;

/** {@code nabla train --dataset names --model gru}, and {@code nabla predict --text} on names. */
class TrainNamesTest {
    @TempDir Path tmp;

    @Test
    void lettersBecomeIdsTwoToTwentySevenAndAnythingElseIsOutOfVocabulary() {
        TextVectorization letters = NameModels.letters();
        Tensor ids = NameModels.encode(letters, List.of("Abz", "Mary-Ann", "ABCDEFGHIJKLMNOP"));
        assertEquals(DType.INT32, ids.dtype());
        int[] v = ids.toIntArray();
        assertArrayEquals(new int[] {2, 3, 27, 0, 0, 0, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(v, 0, 12));
        // '-' is out of the vocabulary (1): "lower" keeps punctuation, as NameGender's "any other character"
        assertArrayEquals(new int[] {14, 2, 19, 26, 1, 2, 15, 15, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(v, 12, 24));
        // cut to 12 letters
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, java.util.Arrays.copyOfRange(v, 24, 36));
    }

    @Test
    void aGruTrainsOnFirstNamesAndPredictsANameGivenAsText() throws Exception {
        Assumptions.assumeTrue(FirstNames.available(), "the first-name lists are not installed "
                + "(scripts/setup-datasets.sh names); skipping nabla train --dataset names");
        Path out = tmp.resolve("run");
        CommandsTest.Result r = CommandsTest.run("train", "--dataset", "names", "--model", "gru", "--epochs", "2",
                "--out", out.toString(), "--quiet", "--no-tensorboard");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("gru on first names (6468 train, 1540 test names"), r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        double accuracy = ((Number) metrics.get("test_accuracy")).doubleValue();
        // the majority class is 57% of the test names; two epochs reach about 80%
        assertTrue(accuracy > 0.70, metrics.toString());
        CommandsTest.Result predicted = CommandsTest.run("predict", "--model", out.toString(), "--text", "Olivia",
                "--text", "Liam");
        assertEquals(0, predicted.code(), predicted.all());
        String lines = predicted.out();
        assertTrue(lines.contains("\"Olivia\": female") && lines.contains("\"Liam\": male"), lines);
        try (SavedModel m = SavedModel.load(out.resolve("model"))) {
            assertEquals(DType.STRING, m.inputs().get(0).spec().dtype());
            float[] p = m.predict(Tensors.of(new String[] {"Emma"}))[1].toFloatArray();
            assertEquals(1.0, p[0] + p[1], 1e-5);
        }
    }

    @Test
    void namesTakeOnlyTheGruModel() {
        CommandsTest.assertFails(CommandsTest.run("train", "--dataset", "names", "--model", "lstm", "--out",
                tmp.resolve("x").toString()), "train", "unknown model 'lstm'; choose one of gru");
    }
}
