package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} and {@code --checkpoint} options of the commands that run a trained classifier. */
final class TrainedModelOptions {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "A saved model directory (or a run folder written by nabla train), or mlp/cnn with "
                    + "--checkpoint.")
    String model;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "With --model mlp|cnn: the checkpoint file (or checkpoints folder) holding its weights.")
    Path checkpoint;

    /** The classifier these options name, with its weights (the caller closes it). */
    Classifier open() throws IOException { return Classifier.open(model, checkpoint, true); }
}
