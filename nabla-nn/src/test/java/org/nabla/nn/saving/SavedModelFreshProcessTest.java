package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.ops.TensorSpec;

/**
 * A saved model loads and predicts in a new JVM that has run none of the code that built it: the graph's module ops
 * (the fused BiasRelu of Dense and Conv2D) must be found through nabla-nn's {@code OpLibrary} service, not because the
 * model's classes happened to be loaded already.
 */
class SavedModelFreshProcessTest {
    /** The child process: loads the saved model in {@code args[0]} and prints the logits of an all-0.5 batch of 2. */
    public static void main(String[] args) throws IOException {
        try (SavedModel m = SavedModel.load(Path.of(args[0]))) {
            System.out.println(Arrays.toString(m.predict(input())[0].toFloatArray()));
        }
    }

    static Tensor input() {
        float[] px = new float[2 * 28 * 28];
        Arrays.fill(px, 0.5f);
        return Tensor.wrap(DType.FLOAT32, Shape.of(2, 28, 28), px);
    }

    @Test
    void cnnSavedHereLoadsInAFreshJvm(@TempDir Path tmp) throws Exception {
        Sequential cnn = ReferenceModels.cnn(3);
        Map<String, Variable> weights = new LinkedHashMap<>();
        for (Variable v : cnn.weights()) weights.put(v.name(), v);
        Path dir = tmp.resolve("cnn");
        SavedModel.save(dir, in -> new Tensor[] {cnn.call(Ops.reshape(in[0], -1, 28, 28, 1))},
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 28, 28))), List.of("image"), List.of("logits"),
                weights);
        String expected;
        try (SavedModel here = SavedModel.load(dir)) {
            expected = Arrays.toString(here.predict(input())[0].toFloatArray());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), SavedModelFreshProcessTest.class.getName(),
                dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(List.of(expected), lines, out);
    }
}
