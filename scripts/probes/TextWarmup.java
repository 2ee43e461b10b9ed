import java.lang.management.ManagementFactory;
import java.util.*;
import org.nabla.*;
import org.nabla.data.datasets.SpamAssassin;
import org.nabla.data.text.TextVectorizer;
import org.nabla.nn.*;

/**
 * Where the spam Transformer's first epoch goes: wall ms of each block of steps from the very first (trace
 * included), with the JIT's accumulated compile time, over EPOCHS passes of the shuffled training batches (the
 * first LIMIT steps of each): args [steps per block] [epochs] [limit]; -Dmodel=lstm for the LSTM.
 */
public class TextWarmup {
    public static void main(String[] a) throws Exception {
        int block = a.length > 0 ? Integer.parseInt(a[0]) : 10, epochs = a.length > 1 ? Integer.parseInt(a[1]) : 2;
        int limit = a.length > 2 ? Integer.parseInt(a[2]) : Integer.MAX_VALUE;
        int warm = Integer.getInteger("warm", 0), warmBatch = Integer.getInteger("warmBatch", 8);
        Thread warmer = new Thread(() -> warmUp(warm, warmBatch));   // beside the loading: JIT the step's kernels
        if (warm > 0) warmer.start();
        SpamAssassin.Corpus corpus = SpamAssassin.load(SpamAssassin.dir().resolve(SpamAssassin.TGZ));
        List<String> texts = corpus.train().texts();
        TextVectorizer v = TextVectorizer.adapt(texts, 20_000);
        Tensor x = v.encode(texts, 200);
        Tensor y = Tensor.wrap(DType.INT32, Shape.of(texts.size()), corpus.train().labels());
        List<Tensor[]> bs = new ArrayList<>();
        for (Tensor[] b : Batches.make(32, true, 42, false, x, y)) bs.add(b);
        warmer.join();
        var jit = ManagementFactory.getCompilationMXBean();
        Model m = TextModels.byName(System.getProperty("model", "transformer"), v.size(), 200, 2, 42);
        long start = System.nanoTime(), jit0 = jit.getTotalCompilationTime();
        System.out.printf("ready at %.2f s of uptime, JIT so far %.2f s%n",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, jit0 / 1e3);
        for (int e = 0; e < epochs; e++) {
            long te = System.nanoTime();
            StringBuilder line = new StringBuilder("epoch " + (e + 1) + " ms per step by block of " + block + ":");
            for (int i = 0; i < Math.min(limit, bs.size()); i += block) {
                long t = System.nanoTime();
                int n = Math.min(block, bs.size() - i);
                for (int k = 0; k < n; k++) m.trainOnBatch(bs.get(i + k));
                line.append(String.format(" %.0f", (System.nanoTime() - t) / 1e6 / n));
            }
            System.out.println(line);
            System.out.printf("epoch %d: %.2f s, JIT total %.2f s, uptime %.2f s%n", e + 1,
                    (System.nanoTime() - te) / 1e9, (jit.getTotalCompilationTime() - jit0) / 1e3,
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        }
    }

    /** STEPS training steps of a throwaway transformer on random ids of random lengths, BATCH rows of 200. */
    static void warmUp(int steps, int batch) {
        long t = System.nanoTime();
        Random r = new Random(1);
        Model m = TextModels.transformer(20_000, 200, 2, 1);
        for (int s = 0; s < steps; s++) {
            int[] ids = new int[batch * 200], labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                int len = 20 + r.nextInt(181);
                for (int j = 0; j < len; j++) ids[i * 200 + j] = 1 + r.nextInt(19_999);
                labels[i] = r.nextInt(2);
            }
            m.trainOnBatch(Tensor.wrap(DType.INT32, Shape.of(batch, 200), ids),
                    Tensor.wrap(DType.INT32, Shape.of(batch), labels));
        }
        System.out.printf("warm-up: %d steps of %d in %.2f s%n", steps, batch, (System.nanoTime() - t) / 1e9);
    }
}
