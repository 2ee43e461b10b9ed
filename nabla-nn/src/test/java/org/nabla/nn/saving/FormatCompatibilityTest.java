package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.graph.GraphIO;
import org.nabla.io.Json;
import org.nabla.ops.TensorSpec;

/**
 * Checkpoints and saved models written by an earlier build (src/test/resources, format version 1) still load, and
 * the same values are still written byte for byte as then. Run with {@code -Dnabla.golden.write=<dir>} to rewrite the
 * golden files, only for a deliberate format change.
 */
class FormatCompatibilityTest {
    private static final String CHECKPOINT = "every-dtype-v1.nckpt";
    private static final String SAVED_MODEL = "saved-model-v1/";
    private static final List<String> SAVED_MODEL_FILES = List.of(SavedModel.SIGNATURE_FILE, SavedModel.GRAPH_FILE,
            SavedModel.VARIABLES_FILE);
    private static final String WRITE = System.getProperty("nabla.golden.write", "");

    @TempDir Path tmp;

    /** CheckpointTest's entries plus one of each dtype they lack. */
    private static Map<String, Tensor> checkpointValues() {
        Map<String, Tensor> m = new LinkedHashMap<>(CheckpointTest.sample());
        m.put("i8", Tensor.wrap(DType.INT8, Shape.of(2), new byte[] {Byte.MIN_VALUE, Byte.MAX_VALUE}));
        m.put("i16", Tensor.wrap(DType.INT16, Shape.of(2), new short[] {Short.MIN_VALUE, 5}));
        m.put("u16", Tensor.wrap(DType.UINT16, Shape.of(1, 2), new short[] {(short) 0xffff, 1}));
        m.put("u32", Tensor.wrap(DType.UINT32, Shape.of(2), new int[] {0xffffffff, 2}));
        m.put("u64", Tensor.wrap(DType.UINT64, Shape.SCALAR, new long[] {-1L}));
        return m;
    }

    @Test
    void checkpointIsWrittenAsBeforeAndLoads() throws IOException {
        Map<String, Tensor> values = checkpointValues();
        byte[] bytes = Checkpoint.toBytes(values);
        if (write(CHECKPOINT, bytes)) return;
        byte[] golden = golden(CHECKPOINT);
        assertArrayEquals(golden, bytes, "checkpoints are no longer written as format version 1 was");
        Map<String, Tensor> back = Checkpoint.fromBytes(golden, CHECKPOINT);
        assertEquals(List.copyOf(values.keySet()), List.copyOf(back.keySet()));
        for (String k : values.keySet()) {
            Tensor e = values.get(k).dense(), a = back.get(k);
            assertEquals(e.spec(), a.spec(), k);
            assertArrayEquals(bits(e), bits(a), k);
        }
    }

    /** A dense layer (float32 weights) and an int64 counter variable; outputs the logits and their argmax. */
    private static void saveModel(Path dir) throws IOException {
        Variable w = Variable.of("w", Tensors.of(new float[] {1, -2, 0.5f, 3, -1, 0.25f}, 3, 2), true);
        Variable b = Variable.of("b", Tensors.of(new float[] {0.125f, -4}, 2), true);
        Variable step = Variable.of("step", Tensors.scalar(7L), false);
        Map<String, Variable> vars = new LinkedHashMap<>();
        vars.put("dense/kernel", w);
        vars.put("dense/bias", b);
        vars.put("step", step);
        SavedModel.save(dir, in -> {
            Tensor logits = Ops.add(Ops.matmul(in[0], w.read()), b.read());
            return new Tensor[] {logits, Ops.argmax(logits, -1)};
        }, List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3))), List.of("features"), List.of("logits", "label"),
                vars);
    }

    @Test
    void savedModelOfAnEarlierBuildLoadsAndPredicts() throws IOException {
        if (!WRITE.isEmpty()) {
            Path dir = tmp.resolve("m");
            saveModel(dir);
            for (String f : SAVED_MODEL_FILES) write(SAVED_MODEL + f, Files.readAllBytes(dir.resolve(f)));
            return;
        }
        Path dir = tmp.resolve("golden");
        Files.createDirectories(dir);
        for (String f : SAVED_MODEL_FILES) Files.write(dir.resolve(f), golden(SAVED_MODEL + f));
        try (SavedModel m = SavedModel.load(dir)) {
            assertEquals(List.of(new SavedModel.IOSpec("features", TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3)))),
                    m.inputs());
            assertEquals(List.of(new SavedModel.IOSpec("logits", TensorSpec.of(DType.FLOAT32, Shape.of(-1, 2))),
                    new SavedModel.IOSpec("label", TensorSpec.of(DType.INT64, Shape.of(-1)))), m.outputs());
            assertEquals(List.of("dense/kernel", "dense/bias", "step"), List.copyOf(m.variables().keySet()));
            assertEquals(7L, m.variables().get("step").toLongArray()[0]);
            Tensor[] out = m.predict(Tensors.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 3));
            // x · [[1, -2], [0.5, 3], [-1, 0.25]] + [0.125, -4], by hand
            assertArrayEquals(new float[] {-0.875f, 0.75f, -1.875f, -1.75f}, out[0].toFloatArray());
            assertArrayEquals(new long[] {1, 1}, out[1].toLongArray());
            // the same content is written back as the earlier build wrote it
            assertArrayEquals(golden(SAVED_MODEL + SavedModel.VARIABLES_FILE), Checkpoint.toBytes(m.variables()));
            assertArrayEquals(golden(SAVED_MODEL + SavedModel.GRAPH_FILE), GraphIO.toBytes(m.graph()));
            String json = new String(golden(SAVED_MODEL + SavedModel.SIGNATURE_FILE), StandardCharsets.UTF_8);
            assertEquals(json, Json.write(Json.parse(json)));
        }
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "golden file " + name + " is missing");
            return in.readAllBytes();
        }
    }

    /** With {@code nabla.golden.write} set, writes the golden file and says so. */
    private static boolean write(String name, byte[] bytes) throws IOException {
        if (WRITE.isEmpty()) return false;
        Path file = Path.of(WRITE, "org/nabla/nn/saving", name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return true;
    }

    /** Exact element bits, NaN payloads and signed zeros included. */
    private static long[] bits(Tensor t) {
        Tensor d = t.dense();
        long[] b = d.toLongArray();
        for (int i = 0; i < b.length; i++) {
            if (d.data() instanceof float[] f) b[i] = Float.floatToRawIntBits(f[i]);
            if (d.data() instanceof double[] f) b[i] = Double.doubleToRawLongBits(f[i]);
        }
        return b;
    }
}
