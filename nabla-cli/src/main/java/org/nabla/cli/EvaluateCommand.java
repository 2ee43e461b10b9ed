package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nabla.Tensor;
import org.nabla.data.datasets.LabeledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nabla evaluate}: accuracy and loss of a saved model (or a reference model and checkpoint) on a test split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Evaluate a saved model on the test split of a dataset: accuracy and loss.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    TrainedModelOptions trained;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder holding the dataset files.")
    Path dataDir;

    @Option(names = "--metrics-json", paramLabel = "FILE", description = "Also write test_accuracy and test_loss "
            + "as JSON.")
    Path metricsJson;

    @Option(names = "--limit", hidden = true, paramLabel = "N", description = "Only the first N test examples.")
    Integer limit;

    @Override
    public Integer call() throws IOException {
        CliSupport.requireOneOf("dataset", dataset, CliSupport.DATASETS);
        try (Classifier c = trained.open()) {
            LabeledImages data = CliSupport.loadDataset(dataset, dataDir);
            Tensor images = data.testImages(), labels = data.testLabels();
            if (limit != null) {
                images = CliSupport.firstRows(images, limit);
                labels = CliSupport.firstRows(labels, limit);
            }
            long start = System.nanoTime();
            float[] logits = c.logits(CliSupport.scaled(images));
            double seconds = (System.nanoTime() - start) / 1e9;
            int[] y = labels.toIntArray();
            double[] la = CliSupport.lossAndAccuracy(logits, y, CliSupport.CLASSES);
            System.out.println(String.format(Locale.ROOT, "nabla evaluate: %s on the %s test split (%d images, %s): "
                    + "accuracy %.2f%%, loss %.4f (%.0f images/s)", c.description(), dataset, y.length,
                    data.source(), 100 * la[1], la[0], y.length / seconds));
            if (metricsJson != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("test_accuracy", la[1]);
                m.put("test_loss", la[0]);
                m.put("test_examples", y.length);
                m.put("dataset", dataset);
                CliSupport.writeJson(metricsJson, m);
            }
        }
        return 0;
    }
}
