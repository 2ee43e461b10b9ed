import java.lang.management.ManagementFactory;
import java.util.*;
import org.nabla.*;
import org.nabla.data.datasets.FirstNames;
import org.nabla.nn.*;
import org.nabla.nn.layers.*;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;

/**
 * The first-names GRU (`nabla train --dataset names --model gru`'s model, data and batch) from its very first step:
 * wall ms per step by block of steps, with the JIT's compile time and the uptime per epoch: args [block] [epochs].
 * With -Dnames.profile=N it then prints the ops of N more steps by self time (nabla's profiler), and with
 * -Dnames.steady=N the ms per step of N more steps (medians of 5 rounds); -Dnames.before=N first trains another model
 * of the same kind N steps (on one batch), so the measured model's first step runs with its classes loaded.
 */
public class NamesWarmup {
    static final int FIRST = 12;

    public static void main(String[] a) throws Exception {
        int block = a.length > 0 ? Integer.parseInt(a[0]) : 10, epochs = a.length > 1 ? Integer.parseInt(a[1]) : 3;
        FirstNames.Split split = FirstNames.split(FirstNames.load());
        Tensor x = encode(split.trainNames());
        Tensor y = Tensor.wrap(DType.INT32, Shape.of(split.trainLabels().length), split.trainLabels());
        var jit = ManagementFactory.getCompilationMXBean();
        int before = Integer.getInteger("names.before", 0);
        if (before > 0) {   // another model of the same kind first: its steps load the classes and start the JIT
            Sequential other = gru();
            Tensor[] b0 = Batches.make(64, true, 7, false, x, y).iterator().next();
            long t = System.nanoTime();
            for (int i = 0; i < before; i++) other.trainOnBatch(b0);
            System.out.printf("%d steps of another model first: %.1f ms%n", before, (System.nanoTime() - t) / 1e6);
        }
        Sequential m = gru();
        long jit0 = jit.getTotalCompilationTime();
        System.out.printf("ready at %.2f s of uptime, JIT so far %.2f s, %d names%n",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, jit0 / 1e3, x.shape().dim(0));
        Batches batches = Batches.make(64, true, 42, false, x, y);
        StringBuilder first = new StringBuilder();
        for (int e = 0; e < epochs; e++) {
            long te = System.nanoTime(), a0 = allocated();
            StringBuilder line = new StringBuilder("epoch " + (e + 1) + " ms per step by block of " + block + ":");
            int n = 0;
            long t = System.nanoTime();
            for (Tensor[] b : batches) {
                long t1 = System.nanoTime();
                m.trainOnBatch(b);
                if (e == 0 && n == 0) System.out.printf("step 0: %d to %d ms since the epoch%n",
                        System.currentTimeMillis() - (System.nanoTime() - t1) / 1_000_000, System.currentTimeMillis());
                if (e == 0 && n < FIRST) first.append(String.format(" %.1f", (System.nanoTime() - t1) / 1e6));
                if (++n % block == 0) {
                    line.append(String.format(" %.2f", (System.nanoTime() - t) / 1e6 / block));
                    t = System.nanoTime();
                }
            }
            if (e == 0) System.out.println("epoch 1, ms of each of the first " + FIRST + " steps:" + first);
            System.out.println(line);
            System.out.printf("epoch %d ends at %d ms since the epoch%n", e + 1, System.currentTimeMillis());
            System.out.printf("epoch %d: %.3f s, %.3f MB per step, JIT total %.2f s, uptime %.2f s%n", e + 1,
                    (System.nanoTime() - te) / 1e9, (allocated() - a0) / 1e6 / n, (jit.getTotalCompilationTime() - jit0) / 1e3,
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        }
        List<Tensor[]> bs = new ArrayList<>();
        for (Tensor[] b : batches) bs.add(b);
        int steady = Integer.getInteger("names.steady", 0);
        if (steady > 0) {
            double[] ms = new double[5];
            for (int r = 0; r < 5; r++) {
                long t = System.nanoTime();
                for (int i = 0; i < steady; i++) m.trainOnBatch(bs.get(i % bs.size()));
                ms[r] = (System.nanoTime() - t) / 1e6 / steady;
            }
            Arrays.sort(ms);
            System.out.printf("steady ms per step (5 rounds of %d): %s, median %.3f%n", steady, Arrays.toString(ms), ms[2]);
        }
        int profiled = Integer.getInteger("names.profile", 0);
        if (profiled > 0) {
            org.nabla.profiler.Profiler.start();
            for (int i = 0; i < profiled; i++) m.trainOnBatch(bs.get(i % bs.size()));
            System.out.println(org.nabla.profiler.Profiler.stop().summary(40));
        }
    }

    /** A new, compiled names GRU (NameModels.gru's model). */
    static Sequential gru() {
        Sequential m = new Sequential(new Embedding(28, 16).maskZero(true), new GRU(32), new Dense(2));
        m.seed(1);
        m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }

    /** Bytes all threads allocated so far. */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** NameModels' ids: 0 padding, 1 any character but a-z, 2-27 the letters a-z; 12 per name. */
    static Tensor encode(List<String> names) {
        int[] ids = new int[names.size() * 12];
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).toLowerCase(Locale.ROOT);
            for (int k = 0; k < Math.min(12, n.length()); k++) {
                char c = n.charAt(k);
                ids[i * 12 + k] = c >= 'a' && c <= 'z' ? c - 'a' + 2 : 1;
            }
        }
        return Tensor.wrap(DType.INT32, Shape.of(names.size(), 12), ids);
    }
}
