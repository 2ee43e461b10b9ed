package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.data.datasets.FirstNames;
import org.nabla.data.datasets.LabeledImages;
import org.nabla.data.datasets.SpamAssassin;
import org.nabla.data.text.TextVectorizer;
import org.nabla.nn.Model;
import org.nabla.nn.TextModels;
import org.nabla.nn.layers.TextVectorization;

/**
 * What {@code nabla train} learns from: the model inputs and integer labels of both splits, ready for fit. Image
 * datasets give float images in [0, 1] (and three raw images to show in TensorBoard); the spam corpus gives token
 * ids of a vocabulary learned from its training split ({@link #vectorizer}, saved next to the model); the first
 * names give letter ids of the {@link #textInput} layer the saved model starts with.
 */
record TrainingData(String dataset, String description, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest,
                    Tensor rawTrainImages, TextVectorizer vectorizer, TextVectorization textInput) {
    /** The models of each text dataset. */
    static final Map<String, List<String>> TEXT_MODELS = Map.of("spam", List.of("lstm", "transformer"),
            "names", List.of("gru"));
    /** Tokens kept per message (the rest is cut), as Keras' output_sequence_length. */
    static final int TEXT_LENGTH = 200;
    /** Vocabulary size, padding and [UNK] included, as Keras' max_tokens. */
    static final int VOCABULARY = 20_000;
    /** The run folder's vocabulary file of a text model. */
    static final String VOCABULARY_FILE = "vocabulary.txt";

    /** Whether {@code dataset} is text (its models are {@link #TEXT_MODELS}). */
    static boolean isText(String dataset) { return TEXT_MODELS.containsKey(dataset); }

    /** The default batch size of a text dataset's models. */
    static int textBatch(String dataset) { return dataset.equals("names") ? NameModels.BATCH : TextModels.BATCH; }

    /** Loads {@code dataset} (from {@code dataDir} when given), keeping the first {@code limit} examples of each split. */
    static TrainingData load(String dataset, Path dataDir, Integer limit) throws IOException {
        if (dataset.equals("spam")) return spam(dataDir, limit);
        if (dataset.equals("names")) return names(dataDir, limit);
        LabeledImages data = CliSupport.loadDataset(dataset, dataDir);
        Tensor trainImages = data.trainImages(), trainLabels = data.trainLabels();
        Tensor testImages = data.testImages(), testLabels = data.testLabels();
        if (limit != null) {
            trainImages = CliSupport.firstRows(trainImages, limit);
            trainLabels = CliSupport.firstRows(trainLabels, limit);
            testImages = CliSupport.firstRows(testImages, limit);
            testLabels = CliSupport.firstRows(testLabels, limit);
        }
        return new TrainingData(dataset, data.toString(), LabeledImages.toFloat(trainImages), trainLabels,
                LabeledImages.toFloat(testImages), testLabels, trainImages, null, null);
    }

    private static TrainingData spam(Path dataDir, Integer limit) throws IOException {
        Path tgz = (dataDir != null ? dataDir : SpamAssassin.dir()).resolve(SpamAssassin.TGZ);
        if (dataDir != null && !Files.isDirectory(dataDir)) throw new IOException(dataDir + ": no such dataset folder");
        SpamAssassin.Corpus corpus = SpamAssassin.load(tgz);
        SpamAssassin.Split train = corpus.train(), test = corpus.test();
        int nTrain = limit == null ? train.size() : Math.min(limit, train.size());
        int nTest = limit == null ? test.size() : Math.min(limit, test.size());
        List<String> trainTexts = train.texts().subList(0, nTrain), testTexts = test.texts().subList(0, nTest);
        TextVectorizer v = TextVectorizer.adapt(trainTexts, VOCABULARY);
        return new TrainingData("spam", "SpamAssassin corpus (" + nTrain + " train, " + nTest + " test messages, "
                + v.size() + " tokens in the vocabulary, " + TEXT_LENGTH + " per message)",
                v.encode(trainTexts, TEXT_LENGTH), labels(train.labels(), nTrain),
                v.encode(testTexts, TEXT_LENGTH), labels(test.labels(), nTest), null, v,
                TextVectorization.of(v, TEXT_LENGTH));
    }

    private static TrainingData names(Path dataDir, Integer limit) throws IOException {
        if (dataDir != null && !Files.isDirectory(dataDir)) throw new IOException(dataDir + ": no such dataset folder");
        FirstNames.Split split = FirstNames.split(dataDir != null ? FirstNames.load(dataDir) : FirstNames.load());
        int nTrain = limit == null ? split.trainNames().size() : Math.min(limit, split.trainNames().size());
        int nTest = limit == null ? split.testNames().size() : Math.min(limit, split.testNames().size());
        TextVectorization letters = NameModels.letters();
        return new TrainingData("names", "first names (" + nTrain + " train, " + nTest + " test names, letters a-z, "
                + NameModels.LENGTH + " per name)", NameModels.encode(letters, split.trainNames().subList(0, nTrain)),
                labels(split.trainLabels(), nTrain), NameModels.encode(letters, split.testNames().subList(0, nTest)),
                labels(split.testLabels(), nTest), null, null, letters);
    }

    private static Tensor labels(int[] all, int n) {
        return Tensor.wrap(DType.INT32, Shape.of(n), java.util.Arrays.copyOf(all, n));
    }

    /** A new reference model for this data. */
    Model model(String name, long seed) {
        if (dataset.equals("names")) return NameModels.gru(seed);
        if (vectorizer == null) return CliSupport.referenceModel(name, seed);
        return TextModels.byName(name, vectorizer.size(), TEXT_LENGTH, 2, seed);
    }

    /** Saves the trained model into {@code runDir}'s model folder, with the vocabulary of a text model. */
    void save(Model m, Path runDir) throws IOException {
        if (textInput == null) {
            CliSupport.saveModel(m, runDir.resolve(CliSupport.MODEL_DIR));
            return;
        }
        CliSupport.saveTextModel(m, runDir.resolve(CliSupport.MODEL_DIR), textInput);
        if (vectorizer != null) vectorizer.save(runDir.resolve(VOCABULARY_FILE));
    }

    @Override
    public String toString() { return description; }
}
