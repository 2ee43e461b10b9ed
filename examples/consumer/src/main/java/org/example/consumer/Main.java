package org.example.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/** Uses Nabla as a library: a tensor add, a gradient, a Sequential fit on tiny data, and a saved model's round trip. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Tensor a = Tensors.of(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensors.of(new float[][] {{1, 1}, {0, 1}});
        Tensor sum = a.add(b);
        System.out.println("add: " + sum);
        check(((float[][]) sum.toArray())[1][1] == 5f, "add");

        Variable v = Variable.of(new float[] {1, 2});
        Tensor dy;
        try (GradientTape tape = GradientTape.start()) {
            Tensor y = Ops.sum(Ops.square(v.read()));
            dy = tape.gradient(y, v);
        }
        System.out.println("gradient of sum(v^2) at [1, 2]: " + dy);
        check(((float[]) dy.toArray())[1] == 4f, "gradient");

        // y = 2x + 1 on eight points: a Dense(1) learns it
        float[][] x = new float[8][1];
        float[][] t = new float[8][1];
        for (int i = 0; i < 8; i++) {
            x[i][0] = i / 8f;
            t[i][0] = 2 * x[i][0] + 1;
        }
        Sequential model = new Sequential(new Dense(1));
        model.seed(42);
        model.input(1);
        model.compile(new SGD(0.5), Losses.meanSquaredError());
        History h = model.fit(Tensors.of(x), Tensors.of(t), FitOptions.epochs(200).batchSize(8).seed(1).verbose(0));
        List<Double> losses = h.get("loss");
        System.out.printf("fit: loss %.4f -> %.6f%n", losses.get(0), losses.get(losses.size() - 1));
        check(losses.get(losses.size() - 1) < 0.01, "fit");

        Path dir = Files.createTempDirectory("nabla-consumer").resolve("model");
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (Variable w : model.weights()) vars.put(w.name(), w);
        SavedModel.save(dir, in -> model.call(in, false),
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 1))), List.of("x"), List.of("y"), vars);
        Tensor probe = Tensors.of(new float[][] {{0.5f}});
        float expected = ((float[][]) model.predict(probe).toArray())[0][0];
        try (SavedModel loaded = SavedModel.load(dir)) {
            float got = ((float[][]) loaded.predict(probe)[0].toArray())[0][0];
            System.out.printf("saved model at %s: predicts %.4f for x = 0.5 (the model in memory: %.4f)%n",
                    dir, got, expected);
            check(got == expected, "save/load");
        }
        System.out.println("nabla-consumer: OK");
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("nabla-consumer: " + what + " gave a wrong result");
    }
}
