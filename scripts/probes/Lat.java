import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

public class Lat {
    public static void main(String[] a) {
        String which = a.length > 0 ? a[0] : "mlp";
        int b = a.length > 1 ? Integer.parseInt(a[1]) : 1;
        Sequential m = ReferenceModels.byName(which, 42);
        Random r = new Random(1);
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < 4; v++) { float[] x = new float[b * 784]; for (int i = 0; i < x.length; i++) x[i] = r.nextFloat(); xs[v] = Tensors.of(x, b, 28, 28, 1); }
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        double sink = 0;
        for (int i = 0; i < (b >= 100 ? 1000 : 20000); i++) sink += f.call(xs[i & 3])[0].toFloatArray()[0];
        for (int round = 0; round < 3; round++) {
            int n = b >= 100 ? 2000 : b >= 8 ? 4000 : 30000; long[] t = new long[n];
            for (int i = 0; i < n; i++) { long s = System.nanoTime(); sink += f.call(xs[i & 3])[0].toFloatArray()[0]; t[i] = System.nanoTime() - s; }
            Arrays.sort(t);
            System.out.printf("%s b%d: min %.2f us  p10 %.2f  p50 %.2f  p90 %.2f%n", which, b, t[0] / 1e3, t[n / 10] / 1e3, t[n / 2] / 1e3, t[9 * n / 10] / 1e3);
        }
        if (sink == 42) System.out.println();
    }
}
