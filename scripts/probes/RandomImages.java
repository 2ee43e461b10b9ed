import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/** The probes' data: n random 28x28x1 images in [0, 1) with random labels of 10 classes, and their batches of 32. */
record RandomImages(Tensor x, Tensor y, List<Tensor[]> batches) {
    static RandomImages of(int n) {
        Random r = new Random(1);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        Tensor xs = Tensors.of(x, n, 28, 28, 1), ys = Tensors.of(y, n);
        List<Tensor[]> batches = new ArrayList<>();
        for (Tensor[] b : Batches.make(32, true, 42, false, xs, ys)) batches.add(b);
        return new RandomImages(xs, ys, batches);
    }
}
