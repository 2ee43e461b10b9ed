import java.util.*;
import org.nabla.*;

public class ConvBp {
    public static void main(String[] a) {
        Random r = new Random(1);
        float[] xv = new float[128 * 13 * 13 * 32], fv = new float[3 * 3 * 32 * 64], gv = new float[128 * 11 * 11 * 64];
        for (float[] v : new float[][] {xv, fv, gv}) for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() - 0.5f;
        Tensor x = Tensors.of(xv, 128, 13, 13, 32), f = Tensors.of(fv, 3, 3, 32, 64), g = Tensors.of(gv, 128, 11, 11, 64);
        Conv2dOptions o = Conv2dOptions.defaults();
        for (String what : new String[] {"input", "filter", "forward", "input", "filter", "forward"}) {
            long best = Long.MAX_VALUE; double sink = 0;
            for (int i = 0; i < 60; i++) {
                long t = System.nanoTime();
                try (TensorScope s = TensorScope.open()) {
                    Tensor y = switch (what) {
                        case "input" -> Ops.conv2dBackpropInput(x, f, g, o);
                        case "filter" -> Ops.conv2dBackpropFilter(x, f, g, o);
                        default -> Ops.conv2d(x, f, o);
                    };
                    sink += y.toFloatArray()[0];
                }
                best = Math.min(best, System.nanoTime() - t);
            }
            System.out.printf("%s: best %.2f ms (%.0f GFLOP/s)%n", what, best / 1e6, 571e6 / best);
        }
    }
}
