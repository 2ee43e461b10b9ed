import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/** Heap bytes allocated per traced inference call (all threads), after a warm-up. Args: MODEL BATCH [calls]. */
public class InferAlloc {
    public static void main(String[] a) {
        String which = a.length > 0 ? a[0] : "mlp";
        int b = a.length > 1 ? Integer.parseInt(a[1]) : 1000;
        int calls = a.length > 2 ? Integer.parseInt(a[2]) : 500;
        Sequential m = ReferenceModels.byName(which, 42);
        SplittableRandom r = new SplittableRandom(1);
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < 4; v++) {
            float[] x = new float[b * 784];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            xs[v] = Tensor.wrap(DType.FLOAT32, Shape.of(b, 28, 28, 1), x);
        }
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int round = 0; round < 3; round++) {
            long a0 = mx.getTotalThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) sink += f.call(xs[i & 3])[0].toFloatArray()[0];
            long a1 = mx.getTotalThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) sink += f.call(xs[i & 3])[0].getDouble(0, 0);
            long a2 = mx.getTotalThreadAllocatedBytes();
            System.out.printf("%s b%d: %.0f bytes per call with the logits read back, %.0f without%n", which, b,
                    (a1 - a0) / (double) calls, (a2 - a1) / (double) calls);
        }
        if (sink == 42) System.out.println();
    }
}
