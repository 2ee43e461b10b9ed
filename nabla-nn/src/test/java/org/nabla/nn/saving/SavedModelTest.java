package org.nabla.nn.saving;

import org.nabla.io.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.ops.TensorSpec;

class SavedModelTest {
    @TempDir Path tmp;

    private static final int IN = 4, HIDDEN = 8, OUT = 3;

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** A two-layer MLP over eager variables; outputs logits and softmax probabilities. */
    private static final class Mlp {
        final Variable w1, b1, w2, b2;
        final Map<String, Variable> vars = new LinkedHashMap<>();

        Mlp(long seed) {
            Random r = new Random(seed);
            w1 = Variable.of("w1", Tensors.of(random(r, IN * HIDDEN), IN, HIDDEN), true);
            b1 = Variable.of("b1", Tensors.of(random(r, HIDDEN), HIDDEN), true);
            w2 = Variable.of("w2", Tensors.of(random(r, HIDDEN * OUT), HIDDEN, OUT), true);
            b2 = Variable.of("b2", Tensors.of(random(r, OUT), OUT), true);
            vars.put("dense_1/kernel", w1);
            vars.put("dense_1/bias", b1);
            vars.put("dense_2/kernel", w2);
            vars.put("dense_2/bias", b2);
        }

        Tensor[] predict(Tensor[] in) {
            Tensor h = Ops.relu(Ops.add(Ops.matmul(in[0], w1.read()), b1.read()));
            Tensor logits = Ops.add(Ops.matmul(h, w2.read()), b2.read());
            return new Tensor[] {logits, Ops.softmax(logits)};
        }

        void save(Path dir) throws IOException {
            SavedModel.save(dir, this::predict, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, IN))),
                    List.of("features"), List.of("logits", "probabilities"), vars);
        }

        /** Logits computed with plain Java loops in float64 (the independent reference). */
        double[] reference(float[] x, int batch) {
            float[] a = w1.read().toFloatArray(), c = b1.read().toFloatArray();
            float[] d = w2.read().toFloatArray(), e = b2.read().toFloatArray();
            double[] out = new double[batch * OUT];
            for (int n = 0; n < batch; n++) {
                double[] h = new double[HIDDEN];
                for (int j = 0; j < HIDDEN; j++) {
                    double s = c[j];
                    for (int i = 0; i < IN; i++) s += (double) x[n * IN + i] * a[i * HIDDEN + j];
                    h[j] = Math.max(0, s);
                }
                for (int k = 0; k < OUT; k++) {
                    double s = e[k];
                    for (int j = 0; j < HIDDEN; j++) s += h[j] * d[j * OUT + k];
                    out[n * OUT + k] = s;
                }
            }
            return out;
        }
    }

    private static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void loadedModelPredictsLikeTheOriginalWithoutItsCode() throws IOException {
        Mlp mlp = new Mlp(1);
        Path dir = tmp.resolve("model");
        mlp.save(dir);
        assertTrue(Files.isRegularFile(dir.resolve(SavedModel.SIGNATURE_FILE)));
        assertTrue(Files.isRegularFile(dir.resolve(SavedModel.GRAPH_FILE)));
        assertTrue(Files.isRegularFile(dir.resolve(SavedModel.VARIABLES_FILE)));

        Random r = new Random(2);
        float[] x5 = random(r, 5 * IN);
        Tensor in5 = Tensors.of(x5, 5, IN);
        Tensor[] eager = mlp.predict(new Tensor[] {in5});
        double[] ref = mlp.reference(x5, 5);

        // The loaded model has its own resource manager: changing the eager variables must not affect it.
        mlp.w1.assign(Tensors.of(new float[IN * HIDDEN], IN, HIDDEN));
        try (SavedModel m = SavedModel.load(dir)) {
            assertEquals(List.of("features"), m.inputs().stream().map(SavedModel.IOSpec::name).toList());
            assertEquals(TensorSpec.of(DType.FLOAT32, Shape.of(-1, IN)), m.inputs().getFirst().spec());
            assertEquals(List.of("logits", "probabilities"), m.outputs().stream().map(SavedModel.IOSpec::name)
                    .toList());
            assertEquals(TensorSpec.of(DType.FLOAT32, Shape.of(-1, OUT)), m.outputs().getFirst().spec());
            assertEquals(4, m.variables().size());
            // for exporters: the graph's tensors behind the signature, and the values by the names the graph reads
            assertEquals("Placeholder", m.graph().outputOf(m.inputTensors().getFirst()).node().op().name());
            assertEquals(List.of(m.outputs().get(0).spec(), m.outputs().get(1).spec()),
                    m.outputTensors().stream().map(Tensor::spec).toList());
            assertEquals(List.of(mlp.w1.name(), mlp.b1.name(), mlp.w2.name(), mlp.b2.name()),
                    List.copyOf(m.variablesByName().keySet()));
            assertArrayEquals(m.variables().get("dense_2/bias").toFloatArray(),
                    m.variablesByName().get(mlp.b2.name()).toFloatArray());

            Tensor[] out = m.predict(in5);
            assertEquals(Shape.of(5, OUT), out[0].shape());
            assertArrayEquals(eager[0].toFloatArray(), out[0].toFloatArray()); // same kernels: identical
            assertArrayEquals(eager[1].toFloatArray(), out[1].toFloatArray());
            assertClose(ref, out[0].toFloatArray(), 1e-5);
            float[] p = out[1].toFloatArray();
            for (int n = 0; n < 5; n++) assertEquals(1.0, p[n * 3] + p[n * 3 + 1] + p[n * 3 + 2], 1e-5);

            // another batch size, by name; still one prepared plan
            float[] x2 = random(r, 2 * IN);
            Map<String, Tensor> byName = m.predict(Map.of("features", Tensors.of(x2, 2, IN)));
            assertEquals(List.of("logits", "probabilities"), List.copyOf(byName.keySet()));
            Mlp fresh = new Mlp(1); // same weights as saved
            assertClose(fresh.reference(x2, 2), byName.get("logits").toFloatArray(), 1e-5);
            assertEquals(1, m.cachedPlans());
        }
    }

    @Test
    void wrongInputsNameTheInput() throws IOException {
        Path dir = tmp.resolve("m");
        new Mlp(3).save(dir);
        try (SavedModel m = SavedModel.load(dir)) {
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(Tensors.of(new float[6], 2, 3))).getMessage();
            assertEquals("saved model input 'features' expects float32(None, 4) (None: any size), got float32(2, 3)",
                    msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(Tensors.of(new double[8], 2, 4))).getMessage();
            assertTrue(msg.contains("'features'") && msg.contains("float64(2, 4)"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(Map.of("image", Tensors.of(new float[8], 2, 4)))).getMessage();
            assertTrue(msg.contains("input 'features'") && msg.contains("is not given"), msg);
            assertThrows(IllegalArgumentException.class, () -> m.predict());
        }
    }

    @Test
    void corruptOrIncompleteDirectoriesFailClearly() throws IOException {
        Path good = tmp.resolve("good");
        new Mlp(4).save(good);
        assertTrue(assertThrows(IOException.class, () -> SavedModel.load(tmp.resolve("absent"))).getMessage()
                .contains("no such saved model directory"));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertEquals(empty + ": not a saved model directory (no saved_model.json in it)",
                assertThrows(IOException.class, () -> SavedModel.load(empty)).getMessage());

        for (String file : List.of(SavedModel.GRAPH_FILE, SavedModel.VARIABLES_FILE)) {
            Path d = copy(good, "missing-" + file);
            Files.delete(d.resolve(file));
            String msg = assertThrows(IOException.class, () -> SavedModel.load(d)).getMessage();
            assertTrue(msg.startsWith(d.resolve(file).toString()) && msg.contains("missing"), msg);

            Path c = copy(good, "corrupt-" + file);
            byte[] b = Files.readAllBytes(c.resolve(file));
            b[b.length / 2] ^= 0x10;
            Files.write(c.resolve(file), b);
            msg = assertThrows(IOException.class, () -> SavedModel.load(c)).getMessage();
            assertTrue(msg.startsWith(c.resolve(file).toString()), msg);
        }

        Path v = copy(good, "version");
        Path sig = v.resolve(SavedModel.SIGNATURE_FILE);
        Files.writeString(sig, Files.readString(sig).replace("\"version\": 1", "\"version\": 2"));
        assertEquals(sig + ": unsupported saved model version 2 (this build reads version 1)",
                assertThrows(IOException.class, () -> SavedModel.load(v)).getMessage());

        Path j = copy(good, "json");
        Path sigJ = j.resolve(SavedModel.SIGNATURE_FILE);
        String text = Files.readString(sigJ);
        Files.writeString(sigJ, text.substring(0, text.length() / 2));
        assertTrue(assertThrows(IOException.class, () -> SavedModel.load(j)).getMessage()
                .startsWith(sigJ + ": corrupted signature file: invalid JSON"));

        Path u = copy(good, "utf8");
        Path sigU = u.resolve(SavedModel.SIGNATURE_FILE);
        byte[] sigBytes = Files.readAllBytes(sigU);
        sigBytes[3] = (byte) 0xC0; // never valid in UTF-8
        Files.write(sigU, sigBytes);
        assertEquals(sigU + ": not valid UTF-8 at byte offset 3 (0xC0); the file must be UTF-8 text",
                assertThrows(IOException.class, () -> SavedModel.load(u)).getMessage());

        Path s = copy(good, "shape");
        Path sigS = s.resolve(SavedModel.SIGNATURE_FILE);
        Files.writeString(sigS, Files.readString(sigS).replace("[8, 3]", "[8, 4]"));
        String msg = assertThrows(IOException.class, () -> SavedModel.load(s)).getMessage();
        assertTrue(msg.contains("variable 'dense_2/kernel' is float32(8, 3) but the signature says float32(8, 4)"),
                msg);
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = Files.createDirectory(tmp.resolve(name));
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    @Test
    void aFailedSaveLeavesNoDirectoryAndKeepsAnOldOne() throws IOException {
        Mlp mlp = new Mlp(5);
        Map<String, Variable> partial = new LinkedHashMap<>(mlp.vars);
        partial.remove("dense_2/bias");
        Path dir = tmp.resolve("out");
        String msg = assertThrows(IllegalArgumentException.class, () -> SavedModel.save(dir, mlp::predict,
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, IN))), List.of("x"), List.of("a", "b"), partial))
                .getMessage();
        assertTrue(msg.contains(mlp.b2.name()) && msg.contains("not in the variables map"), msg);
        assertFalse(Files.exists(dir));
        assertThrows(IllegalArgumentException.class, () -> SavedModel.save(dir, mlp::predict,
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, IN))), List.of("x"), List.of("only one"),
                mlp.vars));

        // a writer failing half way: neither the target nor a temporary directory remains
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(dir, SavedModel.SIGNATURE_FILE, t -> {
            Files.writeString(t.resolve("a"), "half");
            throw new IOException("disk full");
        }));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }

        // replacing an existing model: a failure keeps the old one whole, a success replaces it
        mlp.save(dir);
        byte[] before = Files.readAllBytes(dir.resolve(SavedModel.VARIABLES_FILE));
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(dir, SavedModel.SIGNATURE_FILE, t -> {
            throw new IOException("fail");
        }));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(SavedModel.VARIABLES_FILE)));
        new Mlp(6).save(dir);
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(dir), files.toList());
        }
        Files.createDirectory(tmp.resolve("empty"));
        new Mlp(6).save(tmp.resolve("empty")); // an empty folder may be filled
        // a folder that is not a saved model is never replaced
        Path other = Files.createDirectory(tmp.resolve("home"));
        Files.writeString(other.resolve("notes.txt"), "precious");
        String refusal = assertThrows(IOException.class, () -> new Mlp(7).save(other)).getMessage();
        assertTrue(refusal.contains("refusing to replace it"), refusal);
        assertEquals("precious", Files.readString(other.resolve("notes.txt")));
        try (SavedModel m = SavedModel.load(dir)) {
            Mlp six = new Mlp(6);
            float[] x = new float[IN];
            x[0] = 1;
            assertClose(six.reference(x, 1), m.predict(Tensors.of(x, 1, IN))[0].toFloatArray(), 1e-5);
        }
    }

    @Test
    void convolutionalModelRoundTripsAndServesSeveralThreads() throws Exception {
        Random r = new Random(9);
        Variable filter = Variable.of("conv", Tensors.of(random(r, 3 * 3 * 1 * 2), 3, 3, 1, 2), true);
        Variable dense = Variable.of("dense", Tensors.of(random(r, 3 * 3 * 2 * 4), 18, 4), true);
        Map<String, Variable> vars = Map.of("conv/kernel", filter, "dense/kernel", dense);
        java.util.function.Function<Tensor[], Tensor[]> fn = in -> {
            Tensor x = Ops.reshape(in[0], -1, 8, 8, 1);
            Tensor h = Ops.relu(Ops.conv2d(x, filter.read(), 1, "VALID"));               // 6x6x2
            h = Ops.maxPool2d(h, new int[] {2, 2}, new int[] {2, 2}, "VALID"); // 3x3x2
            return new Tensor[] {Ops.matmul(Ops.reshape(h, -1, 18), dense.read())};
        };
        Path dir = tmp.resolve("cnn");
        SavedModel.save(dir, fn, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 8, 8))), List.of("image"),
                List.of("logits"), vars);
        Tensor images = Tensors.of(random(r, 3 * 64), 3, 8, 8);
        float[] expected = fn.apply(new Tensor[] {images})[0].toFloatArray();
        try (SavedModel m = SavedModel.load(dir)) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<float[]>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 16; i++) results.add(pool.submit(() -> m.predict(images)[0].toFloatArray()));
                for (var f : results) assertArrayEquals(expected, f.get());
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, m.cachedPlans());
        }
    }
}
