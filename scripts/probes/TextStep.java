import java.util.*;
import org.nabla.*;
import org.nabla.data.datasets.SpamAssassin;
import org.nabla.data.text.TextVectorizer;
import org.nabla.nn.*;

/**
 * ms per training step of a spam text model on real batches (wall and process CPU time; with -Dnabla.threads=1 the
 * CPU time is the step's work, less sensitive to other processes than the wall time): args MODEL [rounds] [steps].
 * Also prints the bytes all threads allocated per timed step (young-GC pressure: a fresh heap's pages cost faults).
 * With -Dtextstep.profile=N it also prints the ops of N more steps by self time (nabla's profiler).
 */
public class TextStep {
    public static void main(String[] a) throws Exception {
        String model = a.length > 0 ? a[0] : "transformer";
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 5, steps = a.length > 2 ? Integer.parseInt(a[2]) : 40;
        SpamAssassin.Corpus corpus = SpamAssassin.load(SpamAssassin.dir().resolve(SpamAssassin.TGZ));
        List<String> texts = corpus.train().texts();
        TextVectorizer v = TextVectorizer.adapt(texts, 20_000);
        Tensor x = v.encode(texts, 200);
        Tensor y = Tensor.wrap(DType.INT32, Shape.of(texts.size()), corpus.train().labels());
        List<Tensor[]> bs = new ArrayList<>();
        for (Tensor[] b : Batches.make(32, true, 42, false, x, y)) bs.add(b);
        Model m = TextModels.byName(model, v.size(), 200, 2, 42);
        int at = 0;
        for (int i = 0; i < 20; i++) m.trainOnBatch(bs.get(at++ % bs.size()));   // warm-up
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> ms = new ArrayList<>(), cpu = new ArrayList<>();
        long bytes0 = threads.getTotalThreadAllocatedBytes();
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime(), c = os.getProcessCpuTime();
            for (int i = 0; i < steps; i++) m.trainOnBatch(bs.get(at++ % bs.size()));
            ms.add((System.nanoTime() - t) / 1e6 / steps);
            cpu.add((os.getProcessCpuTime() - c) / 1e6 / steps);
        }
        double mbPerStep = (threads.getTotalThreadAllocatedBytes() - bytes0) / 1e6 / rounds / steps;
        int profiled = Integer.getInteger("textstep.profile", 0);
        if (profiled > 0) {
            org.nabla.profiler.Profiler.start();
            for (int i = 0; i < profiled; i++) m.trainOnBatch(bs.get(at++ % bs.size()));
            System.out.println(org.nabla.profiler.Profiler.stop().summary(30));
        }
        if (Boolean.getBoolean("textstep.add")) {   // an eager float32 add of the residual's size, after the steps
            Tensor ta = Tensors.of(new float[32 * 200 * 64], 32, 200, 64), tb = Tensors.of(new float[32 * 200 * 64], 32, 200, 64);
            for (int r = 0; r < 3; r++) {
                long t = System.nanoTime();
                for (int i = 0; i < 100; i++) Ops.add(ta, tb);
                System.out.printf("eager add [32, 200, 64]: %.3f ms%n", (System.nanoTime() - t) / 1e8);
            }
        }
        System.out.printf("%s ms/step median %.1f rounds %s; process CPU ms/step median %.1f rounds %s%n", model,
                median(ms), ms.stream().map(d -> String.format("%.1f", d)).toList(), median(cpu),
                cpu.stream().map(d -> String.format("%.1f", d)).toList());
        System.out.printf("allocated %.2f MB per step (all threads, timed rounds)%n", mbPerStep);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
