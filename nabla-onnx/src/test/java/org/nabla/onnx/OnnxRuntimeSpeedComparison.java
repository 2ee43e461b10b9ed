package org.nabla.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.nn.saving.SavedModel;

/**
 * A measurement, not a test (off unless {@code -Dnabla.bench=true}): inference throughput of the CLI's reference
 * models as a Nabla saved model and as the exported ONNX model in ONNX Runtime (2 intra-op threads), same batch:
 * {@code mvn -o test -pl nabla-onnx -Dtest=OnnxRuntimeSpeedComparison -Dnabla.bench=true}.
 */
@EnabledIfSystemProperty(named = "nabla.bench", matches = "true")
class OnnxRuntimeSpeedComparison {
    @Test
    void referenceModels(@TempDir Path tmp) throws Exception {
        for (String name : new String[] {"mlp", "cnn"}) {
            int batch = name.equals("mlp") ? 32 : 128;
            Path dir = SavedModelExportTest.save(name, tmp.resolve(name));
            Tensor x = ExportCheck.random(3, batch, 28, 28);
            try (SavedModel m = SavedModel.load(dir);
                 OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(2);
                try (OrtSession ort = Ort.ENV.createSession(OnnxExporter.export(m).toByteArray(), options);
                     OnnxTensor input = OnnxTensor.createTensor(Ort.ENV, FloatBuffer.wrap(x.toFloatArray()),
                             new long[] {batch, 28, 28})) {
                    String in = ort.getInputNames().iterator().next();
                    double nabla = samplesPerSecond(batch, () -> m.predict(x));
                    double onnxRuntime = samplesPerSecond(batch, () -> {
                        try (OrtSession.Result r = ort.run(Map.of(in, input))) {
                            r.get(0);
                        } catch (ai.onnxruntime.OrtException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    System.out.printf(Locale.ROOT, "%s batch %d inference: Nabla %.0f, ONNX Runtime %.0f samples/s,"
                            + " ratio %.2f%n", name, batch, nabla, onnxRuntime, nabla / onnxRuntime);
                }
            }
        }
    }

    /** Best of 5 runs of at least 1 s each, after 2 s of warm-up. */
    private static double samplesPerSecond(int batch, Runnable call) {
        long warm = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warm) call.run();
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime(), calls = 0;
            while (System.nanoTime() - t0 < 1_000_000_000L) {
                call.run();
                calls++;
            }
            best = Math.max(best, calls * batch / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }
}
