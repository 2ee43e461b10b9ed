package org.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nabla.cli.Main;
import org.nabla.nn.DTypePolicy;

/** Smoke test of {@code nabla bench --only half}: every row is printed, the global policy is left as it was. */
class HalfPrecisionBenchTest {
    @Test
    void quickRunPrintsEveryRow() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("bench", "--quick", "--only", "half", "--json"));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        for (String key : new String[] {"matmul_f16_256", "matmul_bf16_1024", "mlp_step_f32", "mlp_step_mixed_f16",
            "mlp_step_mixed_bf16"}) {
            assertTrue(out.contains("\"" + key + "\""), key + " in " + out);
        }
        assertEquals(DTypePolicy.FLOAT32, DTypePolicy.global());
    }
}
