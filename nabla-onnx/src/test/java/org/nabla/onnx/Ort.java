package org.nabla.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.onnx.proto.ModelProto;

/** Runs ONNX models in ONNX Runtime (the reference the exporter is checked against), converting tensors both ways. */
final class Ort {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private Ort() {}

    /** Runs the model file on inputs in the order of its graph inputs; returns the outputs in order. */
    static Tensor[] run(Path model, Tensor... inputs) throws OrtException {
        try (OrtSession s = ENV.createSession(model.toString(), new OrtSession.SessionOptions())) {
            return run(s, inputs);
        }
    }

    static Tensor[] run(ModelProto model, Tensor... inputs) throws OrtException {
        try (OrtSession s = ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions())) {
            return run(s, inputs);
        }
    }

    private static Tensor[] run(OrtSession s, Tensor... inputs) throws OrtException {
        List<String> names = new ArrayList<>(s.getInputNames());
        if (names.size() != inputs.length) throw new IllegalArgumentException("model inputs " + names);
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (int i = 0; i < inputs.length; i++) feeds.put(names.get(i), toOrt(inputs[i]));
            try (OrtSession.Result r = s.run(feeds)) {
                Tensor[] out = new Tensor[r.size()];
                for (int i = 0; i < out.length; i++) out[i] = fromOrt((OnnxTensor) r.get(i));
                return out;
            }
        } finally {
            feeds.values().forEach(OnnxValue::close);
        }
    }

    static OnnxTensor toOrt(Tensor t) throws OrtException {
        long[] shape = new long[t.shape().rank()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.shape().dim(i);
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.toFloatArray()), shape);
            case FLOAT64 -> OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(t.toDoubleArray()), shape);
            case INT32 -> OnnxTensor.createTensor(ENV, IntBuffer.wrap(t.toIntArray()), shape);
            case INT64 -> OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.toLongArray()), shape);
            case UINT8 -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap(t.toByteArray()), shape, OnnxJavaType.UINT8);
            case BOOL -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap(t.toByteArray()), shape, OnnxJavaType.BOOL);
            case INT8 -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap(t.toByteArray()), shape, OnnxJavaType.INT8);
            case FLOAT16, BFLOAT16 -> {
                ByteBuffer bits = ByteBuffer.allocateDirect((int) (2 * t.size()))
                        .order(java.nio.ByteOrder.nativeOrder());
                bits.asShortBuffer().put(t.toShortArray());
                yield OnnxTensor.createTensor(ENV, bits, shape, t.dtype() == DType.FLOAT16 ? OnnxJavaType.FLOAT16
                        : OnnxJavaType.BFLOAT16);
            }
            default -> throw new IllegalArgumentException("no " + t.dtype() + " tensors in these tests");
        };
    }

    static Tensor fromOrt(OnnxTensor t) {
        long[] s = t.getInfo().getShape();
        int[] dims = new int[s.length];
        for (int i = 0; i < dims.length; i++) dims[i] = (int) s[i];
        Shape shape = Shape.of(dims);
        int n = (int) shape.size();
        return switch (t.getInfo().type) {
            case FLOAT -> Tensor.wrap(DType.FLOAT32, shape, fill(new float[n], t.getFloatBuffer()));
            case DOUBLE -> Tensor.wrap(DType.FLOAT64, shape, fill(new double[n], t.getDoubleBuffer()));
            case INT32 -> Tensor.wrap(DType.INT32, shape, fill(new int[n], t.getIntBuffer()));
            case INT64 -> Tensor.wrap(DType.INT64, shape, fill(new long[n], t.getLongBuffer()));
            case UINT8 -> Tensor.wrap(DType.UINT8, shape, fill(new byte[n], t.getByteBuffer()));
            case BOOL -> Tensor.wrap(DType.BOOL, shape, fill(new byte[n], t.getByteBuffer()));
            case FLOAT16 -> Tensor.wrap(DType.FLOAT16, shape, fill(new short[n], t.getShortBuffer()));
            case BFLOAT16 -> Tensor.wrap(DType.BFLOAT16, shape, fill(new short[n], t.getShortBuffer()));
            default -> throw new IllegalArgumentException("ORT output type " + t.getInfo().type);
        };
    }

    private static Object fill(Object array, java.nio.Buffer b) {
        switch (b) {
            case FloatBuffer f -> f.get((float[]) array);
            case DoubleBuffer d -> d.get((double[]) array);
            case IntBuffer i -> i.get((int[]) array);
            case LongBuffer l -> l.get((long[]) array);
            case ByteBuffer y -> y.get((byte[]) array);
            case java.nio.ShortBuffer h -> h.get((short[]) array);
            default -> throw new IllegalArgumentException("buffer " + b);
        }
        return array;
    }

    /**
     * Checks |actual - expected| <= atol + rtol * |expected| elementwise (NaNs must match, dtypes and shapes equal);
     * returns the largest absolute error, for reporting.
     */
    static double assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        org.junit.jupiter.api.Assertions.assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.dtype() == DType.BOOL || expected.dtype() == DType.UINT8 ? bytes(expected)
                : expected.cast(DType.FLOAT64).toDoubleArray();
        double[] a = actual.dtype() == DType.BOOL || actual.dtype() == DType.UINT8 ? bytes(actual)
                : actual.cast(DType.FLOAT64).toDoubleArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(e[i]) && Double.isNaN(a[i]),
                        what + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
                continue;
            }
            if (e[i] == a[i]) continue;
            double err = Math.abs(a[i] - e[i]);
            if (err > atol + rtol * Math.abs(e[i])) {
                org.junit.jupiter.api.Assertions.fail(what + "[" + i + "]: expected " + e[i] + ", got " + a[i]
                        + " (error " + err + " over " + atol + " + " + rtol + " * |expected|)");
            }
            worst = Math.max(worst, err);
        }
        return worst;
    }

    private static double[] bytes(Tensor t) {
        byte[] b = t.toByteArray();
        double[] d = new double[b.length];
        for (int i = 0; i < b.length; i++) d[i] = b[i] & 0xff;
        return d;
    }
}
