package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;

/**
 * nabla-nn's ops ({@link TrainingOps}, {@link PoolingOps}, {@link RecurrentOps}, {@link ImageOps}, each an
 * {@code OpLibrary}) with their gradients and CPU
 * kernels are there, by name, in a fresh JVM that has touched no nn class: what a graph file or saved model using
 * them needs.
 */
class NnOpLibraryTest {
    private static final List<String> NN_OPS = List.of("StepDropout", "AdamUpdate", "BiasRelu", "BiasReluGrad",
            "LayerNorm", "LayerNormGrad",
            "MaxPoolWithArgmax", "ArgmaxScatter", "ArgmaxGather", "LstmCell", "LstmCellGrad", "GruCell", "GruCellGrad",
            "StepRandom", "ImageTransform");

    /** The child process: prints, per nn op, whether it has a gradient (or needs none) and a CPU kernel. */
    public static void main(String[] args) {
        List<String> lines = new ArrayList<>();
        for (String name : NN_OPS) {
            OpDef op = OpRegistry.get(name);
            boolean gradient = !op.isDifferentiable() || GradientRegistry.global().has(op);
            boolean kernel = KernelRegistry.global().has(op, CpuDevice.TYPE, DType.FLOAT32);
            lines.add(name + " gradient=" + gradient + " kernel=" + kernel);
        }
        System.out.println(String.join("\n", lines));
    }

    @Test
    void nnOpsGradientsAndKernelsAreFoundByNameInAFreshJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), NnOpLibraryTest.class.getName()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> expected = NN_OPS.stream().map(n -> n + " gradient=true kernel=true").toList();
        assertEquals(expected, out.lines().filter(l -> l.contains(" gradient=")).toList(), out);
    }
}
