package org.nabla.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nabla.Tensor;
import org.nabla.Tensors;

class VectorApiCheckTest {
    /** Run in a child JVM started without the incubator module: the first op must say which flag is missing. */
    public static final class FirstOp {
        public static void main(String[] args) {
            try {
                Tensor t = Tensors.of(new float[] {1, 2});
                System.out.println("result " + t.add(t));
            } catch (Throwable e) {
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
                System.exit(3);
            }
        }
    }

    @Test
    void withoutTheFlagTheFirstOpNamesIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                FirstOp.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("java.lang.IllegalStateException: Nabla's CPU kernels use the Java Vector API"), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("docs/use-as-library.md"), out);
    }

    @Test
    void withTheFlagTheCheckPasses() {
        VectorApiCheck.requireVectorApi(); // this JVM runs with the flag (Surefire's argLine)
    }
}
