package org.nabla.serving;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.serving.tfproto.DataType;
import org.nabla.serving.tfproto.TensorProto;
import org.nabla.serving.tfproto.TensorShapeProto;

/**
 * TensorFlow's TensorProto, read and written as TensorFlow does: values come from {@code tensor_content} (the raw
 * little-endian elements) or from the typed field of the dtype ({@code float_val}, {@code int64_val},
 * {@code string_val}, ...), where fewer values than elements repeat the last one and none means zeros. Answers use
 * the typed fields, which every client reads ({@code tf.make_ndarray} too). Float32, float64, int32, int64, bool
 * and string tensors convert; a request's inputs become Rows for the shared request path.
 */
final class TensorProtos {
    private TensorProtos() { }

    /** TensorFlow's dtype for {@code d}. */
    static DataType dataType(DType d) {
        return switch (d) {
            case FLOAT32 -> DataType.DT_FLOAT;
            case FLOAT64 -> DataType.DT_DOUBLE;
            case INT32 -> DataType.DT_INT32;
            case INT64 -> DataType.DT_INT64;
            case BOOL -> DataType.DT_BOOL;
            case STRING -> DataType.DT_STRING;
            case INT8 -> DataType.DT_INT8;
            case UINT8 -> DataType.DT_UINT8;
            case INT16 -> DataType.DT_INT16;
            case UINT16 -> DataType.DT_UINT16;
            case UINT32 -> DataType.DT_UINT32;
            case UINT64 -> DataType.DT_UINT64;
            case FLOAT16 -> DataType.DT_HALF;
            case BFLOAT16 -> DataType.DT_BFLOAT16;
            case COMPLEX64 -> DataType.DT_COMPLEX64;
            case COMPLEX128 -> DataType.DT_COMPLEX128;
            // dtypes TensorFlow has no code for (ONNX's low-precision types): described as invalid, never served
            default -> DataType.DT_INVALID;
        };
    }

    /** A shape proto; -1 dims stay -1 (unknown). */
    static TensorShapeProto shape(int[] dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (int d : dims) b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        return b.build();
    }

    /** The dims of a request's tensor {@code what}; 400 for an unknown rank or a negative size. */
    static int[] dims(TensorProto p, String what) {
        if (p.getTensorShape().getUnknownRank()) throw ServingException.badRequest(what + " has an unknown rank");
        int[] dims = new int[p.getTensorShape().getDimCount()];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = p.getTensorShape().getDim(i).getSize();
            if (d < 0 || d > Integer.MAX_VALUE) throw ServingException.badRequest(what + " has dim " + i + " of size "
                    + d);
            dims[i] = (int) d;
            n *= d;
            if (n > Integer.MAX_VALUE) throw ServingException.badRequest(what + " is too large");
        }
        return dims;
    }

    /** A request's tensor as a Nabla tensor (float32, float64, int32, int64, bool or string). */
    static Tensor toTensor(TensorProto p, String what) {
        int[] dims = dims(p, what);
        int n = Math.toIntExact(Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b));
        Shape shape = Shape.of(dims);
        return switch (p.getDtype()) {
            case DT_STRING -> {
                if (!p.getTensorContent().isEmpty()) throw ServingException.badRequest(what + ": a string tensor "
                        + "must hold its values in string_val, not tensor_content");
                List<ByteString> v = fill(p.getStringValList(), n, ByteString.EMPTY, what);
                byte[][] b = new byte[n][];
                for (int i = 0; i < n; i++) b[i] = v.get(i).toByteArray();
                yield Tensor.wrap(DType.STRING, shape, b);
            }
            case DT_INT64 -> Tensor.wrap(DType.INT64, shape, longs(p, n, what));
            case DT_BOOL -> {
                double[] d = doubles(p, n, what);
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) b[i] = (byte) (d[i] != 0 ? 1 : 0);
                yield Tensor.wrap(DType.BOOL, shape, b);
            }
            default -> {
                DType dtype = servedDType(p.getDtype(), what);
                // Rows' tensor() puts a batch dim in front: one row of all the values, then the real shape.
                Tensor flat = new Rows(1, new double[][] {doubles(p, n, what)}, new int[][] {{n}}).tensor(0, dtype);
                yield Tensor.wrap(dtype, shape, switch (dtype) {
                    case FLOAT32 -> flat.toFloatArray();
                    case FLOAT64 -> flat.toDoubleArray();
                    default -> flat.toIntArray();
                });
            }
        };
    }

    /** A Nabla tensor as a TensorProto with its values in the typed field. */
    static TensorProto of(Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setDtype(dataType(t.dtype())).setTensorShape(shape(t.shape()
                .dims()));
        switch (t.dtype()) {
            case FLOAT32 -> { for (float v : t.toFloatArray()) b.addFloatVal(v); }
            case FLOAT64 -> { for (double v : t.toDoubleArray()) b.addDoubleVal(v); }
            case INT32 -> { for (int v : t.toIntArray()) b.addIntVal(v); }
            case INT64 -> { for (long v : t.toLongArray()) b.addInt64Val(v); }
            case BOOL -> { for (byte v : t.toByteArray()) b.addBoolVal(v != 0); }
            case STRING -> { for (byte[] v : t.toBytesArray()) b.addStringVal(ByteString.copyFrom(v)); }
            default -> throw new IllegalArgumentException("tensors of dtype " + t.dtype() + " are not served");
        }
        return b.build();
    }

    /** Tensor {@code t} of {@code rows} (an answer's output) as a TensorProto of {@code dtype}. */
    static TensorProto of(Rows rows, int t, DType dtype) {
        int[] sample = rows.sampleDims()[t];
        int[] dims = new int[sample.length + 1];
        dims[0] = rows.count();
        System.arraycopy(sample, 0, dims, 1, sample.length);
        TensorProto.Builder b = TensorProto.newBuilder().setDtype(dataType(dtype)).setTensorShape(shape(dims));
        if (dtype == DType.STRING) {
            for (String x : (String[]) rows.data()[t]) b.addStringVal(ByteString.copyFromUtf8(x));
            return b.build();
        }
        double[] v = rows.numbers(t);
        switch (dtype) {
            case FLOAT32 -> { for (double x : v) b.addFloatVal((float) x); }
            case FLOAT64 -> { for (double x : v) b.addDoubleVal(x); }
            case INT32 -> { for (double x : v) b.addIntVal((int) x); }
            case INT64 -> { for (double x : v) b.addInt64Val((long) x); }
            default -> throw new IllegalStateException("outputs of dtype " + dtype + " are not served");
        }
        return b.build();
    }

    /** A Predict request's inputs as Rows in signature order; every mistake is a 400 that names it. */
    static Rows rows(Map<String, TensorProto> inputs, List<ServedModel.Port> ports, int maxRows) {
        for (String k : inputs.keySet()) {
            if (ports.stream().noneMatch(p -> p.name().equals(k))) throw ServingException.badRequest("the model has "
                    + "no input '" + k + "'; its inputs are " + ports.stream().map(ServedModel.Port::name).toList());
        }
        double[][] data = new double[ports.size()][];
        int[][] sample = new int[ports.size()][];
        int count = -1;
        for (int i = 0; i < ports.size(); i++) {
            ServedModel.Port port = ports.get(i);
            TensorProto p = inputs.get(port.name());
            if (p == null) throw ServingException.badRequest("the request lacks input '" + port.name() + "' ("
                    + port.spec() + ")");
            String what = "input '" + port.name() + "'";
            DType want = port.spec().dtype();
            if (p.getDtype() != dataType(want)) throw ServingException.badRequest(what + " expects "
                    + RestDocuments.tfName(want) + ", got " + p.getDtype());
            int[] dims = dims(p, what);
            if (dims.length == 0) throw ServingException.badRequest(what + " is a scalar; it needs a batch "
                    + "dimension, " + port.spec());
            PredictRequest.checkShape(port, dims);
            if (count >= 0 && dims[0] != count) throw ServingException.badRequest("the inputs disagree on the batch "
                    + "size: '" + port.name() + "' has " + dims[0] + " rows, the ones before it " + count);
            count = dims[0];
            data[i] = doubles(p, Math.toIntExact(Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b)), what);
            sample[i] = Arrays.copyOfRange(dims, 1, dims.length);
        }
        Rows rows = new Rows(count, data, sample);
        PredictRequest.checkCount(rows, maxRows);
        return rows;
    }

    private static DType servedDType(DataType d, String what) {
        return switch (d) {
            case DT_FLOAT -> DType.FLOAT32;
            case DT_DOUBLE -> DType.FLOAT64;
            case DT_INT32 -> DType.INT32;
            case DT_INT64 -> DType.INT64;
            default -> throw ServingException.badRequest(what + " has dtype " + d + "; float, double, int32, int64, "
                    + "bool and string tensors are read");
        };
    }

    /** {@code n} numeric values of {@code p} as doubles (exact for every dtype read but int64 beyond 2^53). */
    static double[] doubles(TensorProto p, int n, String what) {
        double[] out = new double[n];
        ByteString content = p.getTensorContent();
        if (!content.isEmpty()) {
            int width = switch (p.getDtype()) {
                case DT_FLOAT, DT_INT32 -> 4;
                case DT_DOUBLE, DT_INT64 -> 8;
                case DT_BOOL -> 1;
                default -> { servedDType(p.getDtype(), what); yield 0; }
            };
            if (content.size() != (long) n * width) throw ServingException.badRequest(what + ": tensor_content has "
                    + content.size() + " bytes; " + n + " elements of " + p.getDtype() + " take " + (long) n * width);
            ByteBuffer bb = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (p.getDtype()) {
                    case DT_FLOAT -> bb.getFloat();
                    case DT_DOUBLE -> bb.getDouble();
                    case DT_INT32 -> bb.getInt();
                    case DT_INT64 -> bb.getLong();
                    default -> bb.get() != 0 ? 1 : 0;
                };
            }
            return out;
        }
        int count = switch (p.getDtype()) {
            case DT_FLOAT -> p.getFloatValCount();
            case DT_DOUBLE -> p.getDoubleValCount();
            case DT_INT32 -> p.getIntValCount();
            case DT_INT64 -> p.getInt64ValCount();
            case DT_BOOL -> p.getBoolValCount();
            default -> { servedDType(p.getDtype(), what); yield 0; }
        };
        if (count > n) throw ServingException.badRequest(what + " holds " + count + " values for " + n + " elements");
        // Primitive getters: a request's hundreds of values are not boxed.
        for (int i = 0; i < count; i++) {
            out[i] = switch (p.getDtype()) {
                case DT_FLOAT -> p.getFloatVal(i);
                case DT_DOUBLE -> p.getDoubleVal(i);
                case DT_INT32 -> p.getIntVal(i);
                case DT_INT64 -> p.getInt64Val(i);
                default -> p.getBoolVal(i) ? 1 : 0;
            };
        }
        // TensorFlow's rule: fewer values than elements repeat the last one; none leaves zeros.
        if (count > 0) Arrays.fill(out, count, n, out[count - 1]);
        return out;
    }

    private static long[] longs(TensorProto p, int n, String what) {
        long[] out = new long[n];
        if (!p.getTensorContent().isEmpty()) {
            if (p.getTensorContent().size() != (long) n * 8) throw ServingException.badRequest(what + ": "
                    + "tensor_content has " + p.getTensorContent().size() + " bytes; " + n + " int64 take " + n * 8L);
            p.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }
        List<Long> v = fill(p.getInt64ValList(), n, 0L, what);
        for (int i = 0; i < n; i++) out[i] = v.get(i);
        return out;
    }

    /** TensorFlow's rule: all {@code n} values, or fewer with the last repeated, or none (then {@code zero}s). */
    @SuppressWarnings("unchecked")
    private static <T> List<T> fill(List<? extends T> values, int n, Object zero, String what) {
        if (values.size() == n) return (List<T>) values;
        if (values.size() > n) throw ServingException.badRequest(what + " holds " + values.size() + " values for "
                + n + " elements");
        T last = values.isEmpty() ? (T) zero : values.get(values.size() - 1);
        java.util.ArrayList<T> out = new java.util.ArrayList<>(values);
        while (out.size() < n) out.add(last);
        return out;
    }
}
