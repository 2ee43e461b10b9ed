package org.nabla.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.data.datasets.FirstNames;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.Embedding;
import org.nabla.nn.layers.GRU;
import org.nabla.nn.optimizers.Adam;

/**
 * The classic character-level recurrent example: is a first name female or male? Names are letter ids (a-z as
 * 1-26, any other character 27, 0 padding up to {@value #MAX_LEN} letters) read by
 * {@code Embedding(28, 16, maskZero) -> GRU(32) -> Dense(2, softmax)}. Data: the @stdlib English first-name lists
 * ({@link FirstNames}; {@code scripts/setup-datasets.sh names}), names on both lists dropped, split 80/20 by a hash of
 * the name ({@link #split}).
 *
 * <p>Run with {@code scripts/example.sh NameGender [epochs] [names to classify...]}.
 */
public final class NameGender {
    static final int MAX_LEN = 12;
    static final int VOCAB = 28;

    private NameGender() {}

    /** Train and test ids [n, MAX_LEN] (int32) with labels [n] (0 female, 1 male), and the test names. */
    record Data(Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest, List<String> testNames) {}

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> queries = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("Olivia", "Liam", "Charlotte", "Theodore", "Ava", "Hugo");
        if (!FirstNames.available()) {
            System.out.println("NameGender: the first-name lists are not installed in " + FirstNames.dir()
                    + "; run scripts/setup-datasets.sh names");
            return;
        }
        run(System.out, split(FirstNames.load()), epochs, queries);
    }

    static double run(PrintStream out, Data data, int epochs, List<String> queries) {
        out.printf(Locale.ROOT, "names: %d train, %d test (letters -> Embedding(maskZero) -> GRU(32) -> Dense(2))%n",
                data.xTrain().shape().dim(0), data.xTest().shape().dim(0));
        Sequential model = model(1);
        long t0 = System.nanoTime();
        History h = model.fit(data.xTrain(), data.yTrain(), FitOptions.epochs(epochs).batchSize(64).seed(3)
                .verbose(0));
        double secs = (System.nanoTime() - t0) / 1e9;
        for (int e = 0; e < epochs; e++) {
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, accuracy %.4f%n", e + 1, h.get("loss").get(e),
                    h.get("accuracy").get(e));
        }
        Map<String, Double> test = model.evaluate(data.xTest(), data.yTest(), 256);
        out.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f); training %.1f s%n", test.get("accuracy"),
                test.get("loss"), secs);
        if (!queries.isEmpty()) {
            float[] p = model.predict(encode(queries), 256).toFloatArray();
            for (int i = 0; i < queries.size(); i++) {
                out.printf(Locale.ROOT, "%-12s %s (p(female) = %.2f)%n", queries.get(i),
                        p[2 * i] >= 0.5 ? "female" : "male", p[2 * i]);
            }
        }
        return test.get("accuracy");
    }

    static Sequential model(long seed) {
        Sequential m = new Sequential(new Embedding(VOCAB, 16).maskZero(true), new GRU(32), new Dense(2, "softmax"));
        m.seed(seed);
        m.compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        return m;
    }

    /** Letter ids of each name, zero-padded (longer names keep their first MAX_LEN letters). */
    static Tensor encode(List<String> names) {
        int[] ids = new int[names.size() * MAX_LEN];
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).toLowerCase(Locale.ROOT);
            for (int k = 0; k < Math.min(MAX_LEN, n.length()); k++) {
                char c = n.charAt(k);
                ids[i * MAX_LEN + k] = c >= 'a' && c <= 'z' ? c - 'a' + 1 : VOCAB - 1;
            }
        }
        return Tensors.of(ids, names.size(), MAX_LEN);
    }

    /** Encodes {@link FirstNames#split}'s names as letter ids. */
    static Data split(FirstNames.Lists lists) {
        FirstNames.Split s = FirstNames.split(lists);
        return new Data(encode(s.trainNames()), labelTensor(s.trainLabels()), encode(s.testNames()),
                labelTensor(s.testLabels()), s.testNames());
    }

    private static Tensor labelTensor(int[] labels) { return Tensors.of(labels, labels.length); }
}
