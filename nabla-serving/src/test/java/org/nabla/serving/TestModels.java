package org.nabla.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/** Small saved models for the server tests, with outputs easy to compute by hand. */
final class TestModels {
    private TestModels() { }

    /** The weights of {@link #linear}: y = x W, x (None, 4), W (4, 3). */
    static final float[] W = {1, 0, 2, 0, 1, -1, 0.5f, 0.25f, 0, -2, 3, 1};

    /** One input "x" (None, 4), one output "y" = x W (None, 3). */
    static Path linear(Path dir) throws IOException { return linear(dir, 1); }

    /** One input "x" (None, 4), one output "y" = x (scale W) (None, 3): versions of a model that answer differently. */
    static Path linear(Path dir, float scale) throws IOException {
        float[] w0 = W.clone();
        for (int i = 0; i < w0.length; i++) w0[i] *= scale;
        Variable w = Variable.of("w", Tensors.of(w0, 4, 3), true);
        SavedModel.save(dir, in -> new Tensor[] {Ops.matmul(in[0], w.read())},
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 4))), List.of("x"), List.of("y"), Map.of("w", w));
        return dir;
    }

    /** y = x W for rows of x, in float64, as the reference. */
    static double[] linearRef(double[] x) {
        double[] y = new double[3];
        for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) y[j] += x[k] * W[k * 3 + j];
        return y;
    }

    /** One input "x" (None, 4), one output "price" = x . (1, 2, 3, 4) (None, 1): a regression model. */
    static Path regression(Path dir) throws IOException {
        Variable w = Variable.of("w", Tensors.of(new float[] {1, 2, 3, 4}, 4, 1), true);
        SavedModel.save(dir, in -> new Tensor[] {Ops.matmul(in[0], w.read())},
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 4))), List.of("x"), List.of("price"), Map.of("w", w));
        return dir;
    }

    /** Two inputs "a", "b" (None, 2) and two outputs "sum" = a + b, "prod" = a * b. */
    static Path twoByTwo(Path dir) throws IOException {
        TensorSpec spec = TensorSpec.of(DType.FLOAT32, Shape.of(-1, 2));
        SavedModel.save(dir, in -> new Tensor[] {Ops.add(in[0], in[1]), Ops.mul(in[0], in[1])},
                List.of(spec, spec), List.of("a", "b"), List.of("sum", "prod"), Map.of());
        return dir;
    }
}
