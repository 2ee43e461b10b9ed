package org.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.distributed.TfConfig;
import org.nabla.io.Json;
import picocli.CommandLine;

/** The Kubernetes recipe in deploy/kubernetes stays in step with the command line it starts. */
class KubernetesRecipeTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");

    @Test
    void theTfJobsArgumentsAreATrainCommandThatReadsTfConfig() throws IOException {
        String manifest = Files.readString(DIR.resolve("tfjob.yaml"));
        String line = manifest.lines().filter(l -> l.trim().startsWith("args: [")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Object> args = (List<Object>) Json.parse(line.substring(line.indexOf('[')));
        assertEquals("train", args.getFirst());
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        assertTrue(train.tfConfig, line);
        assertTrue(train.maxRestarts > 0, "a TFJob restarts pods: the run should resume; " + line);
        train.checkOptions();
        // what the operator writes into worker 1's pod for this manifest (two workers, port 2222, no chief)
        TfConfig tf = TfConfig.parse("{\"cluster\":{\"worker\":[\"nabla-mlp-worker-0.default.svc:2222\","
                + "\"nabla-mlp-worker-1.default.svc:2222\"]},\"task\":{\"type\":\"worker\",\"index\":1},"
                + "\"environment\":\"cloud\"}", "TF_CONFIG");
        assertEquals(2, tf.cluster().tasks(ClusterTraining.REPLICAS).size());
        assertTrue(manifest.contains("containerPort: 2222"), "the operator's TF_CONFIG names port 2222");
    }

    @Test
    void theImageRunsTheCommandLine() throws IOException {
        String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
        assertTrue(dockerfile.contains(Main.class.getName()), dockerfile);
        assertTrue(dockerfile.contains("--add-modules=jdk.incubator.vector"), dockerfile);
        assertTrue(dockerfile.contains("nabla-cli/target/nabla-cli.jar") && dockerfile.contains("nabla-cli/target/lib/"),
                dockerfile);
    }
}
