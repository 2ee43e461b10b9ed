package org.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Tensor;
import org.nabla.cli.Main;

/** Smoke test of {@code nabla bench --only train-step} and of the benchmarked step itself. No timing assertions. */
class TrainStepBenchTest {
    @Test
    void quickRunPrintsBothRows() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("bench", "--quick", "--only", "train-step", "--json"));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\"train_step_eager\"") && out.contains("\"train_step_traced\""), out);
        assertTrue(out.contains("\"referenceName\": \"eager\""), out);
    }

    @Test
    void tracedStepComputesWhatTheEagerStepComputes() {
        Tensor[] data = TrainStepBench.batch(1);
        TrainStepBench.Mlp eager = TrainStepBench.Mlp.create(5);
        TrainStepBench.Mlp traced = TrainStepBench.Mlp.create(5);
        TracedFunction step = TracedFunction.of(a -> new Tensor[] {traced.trainStep(a[0], a[1])});
        for (int s = 0; s < 3; s++) {
            double le = eager.trainStep(data[0], data[1]).doubleValue();
            double lt = step.call(data[0], data[1])[0].doubleValue();
            assertEquals(le, lt, 1e-5 * Math.max(1, Math.abs(le)), "step " + s);
        }
        List<org.nabla.Variable> ve = eager.variables(), vt = traced.variables();
        for (int i = 0; i < ve.size(); i++) {
            float[] a = ve.get(i).read().toFloatArray(), b = vt.get(i).read().toFloatArray();
            for (int j = 0; j < a.length; j++) assertEquals(a[j], b[j], 1e-5, "variable " + i + " element " + j);
        }
        assertEquals(DType.FLOAT32, vt.get(0).dtype());
    }
}
