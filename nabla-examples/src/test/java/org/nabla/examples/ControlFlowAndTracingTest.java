package org.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlFlowAndTracingTest {
    private static void assertContains(String out, String expected) {
        assertTrue(out.contains(expected), () -> "missing:\n" + expected + "\n---- in output:\n" + out);
    }

    @Test
    void printsWhatTheDocsShow() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            ControlFlowAndTracing.run(capture);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertContains(out, "# Host-language control flow, eagerly: Java decides with the tensor's value\n"
                + "tf.Tensor([ 2. -4.  6.], shape=(3,), dtype=float32)\n");
        assertContains(out, "# The same decision with Ops.cond: eagerly it simply runs the lambda that pred selects\n"
                + "tf.Tensor([ 2. -4.  6.], shape=(3,), dtype=float32)\n");
        assertContains(out, "tf.Tensor([ 5. -1.], shape=(2,), dtype=float32)\n");
        assertContains(out, "nodes: 21, Tanh nodes: 4\n");
        assertContains(out, "nodes: 4, While nodes: 1\n");
        double h = 0.5;
        for (int t = 0; t < 4; t++) h = Math.tanh(2 * h + 1);
        assertContains(out, "after 4 steps: tf.Tensor(" + String.format("%.6f", h).substring(0, 7));
        assertContains(out, "d sum(y)/dx: tf.Tensor([2. 2. 2.], shape=(3,), dtype=float32)\n");
        assertContains(out, "d sum(y)/dx: tf.Tensor([-1. -1.], shape=(2,), dtype=float32)\n");
        assertContains(out, "Cond nodes: 2, While nodes: 3\n");
        // d h(4)/d h0 = product over the steps of 2 (1 - h(t+1)^2), in float64 here.
        double hh = 0.5;
        double grad = 1;
        for (int t = 0; t < 4; t++) {
            hh = Math.tanh(2 * hh + 1);
            grad *= 2 * (1 - hh * hh);
        }
        String prefix = "d h(4)/d h0 = ";
        int at = out.indexOf(prefix);
        assertTrue(at >= 0, out);
        double printed = Double.parseDouble(out.substring(at + prefix.length(), out.indexOf('\n', at)));
        assertTrue(Math.abs(printed - grad) <= 1e-3 * Math.abs(grad), printed + " vs " + grad);
        assertContains(out, "traces: 1\nConcreteFunction ");
        assertContains(out, "ReadVariable = ReadVariable[]{name=Variable_");
        assertContains(out, "# A declared signature with an unknown batch dimension: one trace for every batch size\n"
                + "traces: 1\n");
        assertContains(out, "tick -> 11, traces: 1\n");
        String autograph = out.lines().filter(l -> l.startsWith("AutoGraph after 4 steps: ")).findFirst().orElseThrow();
        String[] values = autograph.substring("AutoGraph after 4 steps: ".length()).split(", eagerly: ");
        assertTrue(values[0].equals(values[1]) && values[0].startsWith(String.format("%.6f", h).substring(0, 7)),
                autograph);
        assertContains(out, "While nodes: 1, Tanh nodes outside it: 0, traces for 4 and 7 steps: 1\n");
    }
}
