package org.nabla.nn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;

/** Per-op time of eager training steps of a reference model (opt-in, -Dnabla.bench=true). */
class OpTimingProbe {
    @Test
    void perOp() {
        assumeTrue(Boolean.getBoolean("nabla.bench"));
        String name = System.getProperty("nabla.bench.models", "mlp");
        Sequential m = ReferenceModels.byName(name, 1);
        m.runEagerly(true);
        int b = ReferenceModels.batchSize(name);
        Tensor x = Ops.randomUniform(new int[] {b, 28, 28, 1}, DType.FLOAT32, 0, 1, 1);
        Tensor y = Ops.randomUniform(new int[] {b}, DType.INT32, 0, 10, 2);
        for (int i = 0; i < 30; i++) m.trainOnBatch(x, y);
        Map<String, long[]> times = new TreeMap<>();
        ExecutionContext timing = new ExecutionContext() {
            @Override
            public Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs) {
                long t0 = System.nanoTime();
                Tensor[] r = EagerContext.INSTANCE.execute(op, attrs, inputs);
                long[] acc = times.computeIfAbsent(op.name(), k -> new long[2]);
                acc[0] += System.nanoTime() - t0;
                acc[1]++;
                return r;
            }
        };
        int steps = Integer.getInteger("nabla.bench.steps", 100);
        long t0 = System.nanoTime();
        try (var s = ExecutionContext.enter(timing)) {
            for (int i = 0; i < steps; i++) m.trainOnBatch(x, y);
        }
        long total = System.nanoTime() - t0;
        System.out.printf("%s: %.3f ms/step%n", name, total / 1e6 / steps);
        times.entrySet().stream().sorted((a, c) -> Long.compare(c.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf("  %-40s %8.3f ms/step  %5d calls/step%n", e.getKey(), e.getValue()[0] / 1e6 / steps,
                        e.getValue()[1] / steps));
    }
}
