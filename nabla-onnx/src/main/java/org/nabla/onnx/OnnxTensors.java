package org.nabla.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.onnx.proto.TensorProto;

/**
 * Converts between ONNX TensorProtos and Nabla tensors. Reading checks the declared dims against the data actually
 * present before allocating anything, so a corrupt header cannot make Nabla allocate more than the file holds.
 */
public final class OnnxTensors {
    private OnnxTensors() {}

    /** The tensor a TensorProto holds; {@code what} names it in error messages (an initializer, an attribute...). */
    public static Tensor toTensor(TensorProto p, String what) {
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL || p.getExternalDataCount() > 0) {
            throw new UnsupportedOnnxException(what + " keeps its data in an external file, which is read when a "
                    + "model is loaded from its file (OnnxFiles.readModel), not from a ModelProto already in memory");
        }
        if (p.hasSegment()) throw new UnsupportedOnnxException(what + " is a segment of a larger tensor");
        DType dtype = OnnxTypes.toDType(p.getDataType(), what);
        int[] dims = new int[p.getDimsCount()];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = p.getDims(i);
            if (d < 0) throw new OnnxException(what + " has a negative dimension " + d + " in dims " + p.getDimsList());
            n *= d;
            if (d > Integer.MAX_VALUE || n > Integer.MAX_VALUE) {
                throw new OnnxException(what + " declares dims " + p.getDimsList() + ", more elements than a Nabla "
                        + "tensor can hold (at most " + Integer.MAX_VALUE + ")");
            }
            dims[i] = (int) d;
        }
        int size = (int) n;
        if (dtype == DType.STRING) { // ONNX keeps strings in string_data, never in raw_data
            if (p.hasRawData()) throw new OnnxException(what + " is a string tensor with raw_data; ONNX stores "
                    + "strings in string_data");
            checkCount(what, "string_data", p.getStringDataCount(), size);
            byte[][] a = new byte[size][];
            for (int i = 0; i < size; i++) a[i] = p.getStringData(i).toByteArray();
            return Tensor.wrap(dtype, Shape.of(dims), a);
        }
        if (PackedElements.perByte(dtype) > 1) return Tensor.wrap(dtype, Shape.of(dims), packed(p, dtype, size, what));
        Object data = p.hasRawData() ? fromRaw(p.getRawData(), dtype, size, what) : fromTyped(p, dtype, size, what);
        return Tensor.wrap(dtype, Shape.of(dims), data);
    }

    /** int4, uint4, float4e2m1, int2, uint2: packed bytes in raw_data or one packed byte per int32_data entry. */
    private static byte[] packed(TensorProto p, DType dtype, int size, String what) {
        int bytes = PackedElements.packedBytes(dtype, size);
        byte[] b = new byte[bytes];
        if (p.hasRawData()) {
            if (p.getRawData().size() != bytes) {
                throw new OnnxException(what + " declares " + size + " " + dtype + " elements (" + bytes
                        + " packed bytes) but its raw_data holds " + p.getRawData().size() + " bytes");
            }
            p.getRawData().copyTo(b, 0);
        } else {
            checkCount(what, "int32_data (packed bytes)", p.getInt32DataCount(), bytes);
            for (int i = 0; i < bytes; i++) b[i] = (byte) p.getInt32Data(i);
        }
        return PackedElements.unpack(dtype, b, size);
    }

    private static Object fromRaw(ByteString raw, DType dtype, int size, String what) {
        long expected = (long) size * dtype.byteSize();
        if (raw.size() != expected) {
            throw new OnnxException(what + " declares " + size + " " + dtype + " elements (" + expected
                    + " bytes) but its raw_data holds " + raw.size() + " bytes");
        }
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype.storage()) {
            case FLOAT -> { float[] a = new float[size]; b.asFloatBuffer().get(a); yield a; }
            case DOUBLE -> { double[] a = new double[size]; b.asDoubleBuffer().get(a); yield a; }
            case INT -> { int[] a = new int[size]; b.asIntBuffer().get(a); yield a; }
            case LONG -> { long[] a = new long[size]; b.asLongBuffer().get(a); yield a; }
            case SHORT -> { short[] a = new short[size]; b.asShortBuffer().get(a); yield a; }
            case BYTE -> {
                byte[] a = new byte[size];
                b.get(a);
                if (dtype == DType.BOOL) for (int i = 0; i < size; i++) a[i] = (byte) (a[i] != 0 ? 1 : 0);
                yield a;
            }
            case STRING -> throw new AssertionError("strings are read from string_data");
            case COMPLEX64 -> { float[] a = new float[2 * size]; b.asFloatBuffer().get(a); yield a; }   // re, im pairs
            case COMPLEX128 -> { double[] a = new double[2 * size]; b.asDoubleBuffer().get(a); yield a; }
        };
    }

    private static Object fromTyped(TensorProto p, DType dtype, int size, String what) {
        return switch (dtype.storage()) {
            case FLOAT -> {
                checkCount(what, "float_data", p.getFloatDataCount(), size);
                float[] a = new float[size];
                for (int i = 0; i < size; i++) a[i] = p.getFloatData(i);
                yield a;
            }
            case DOUBLE -> {
                checkCount(what, "double_data", p.getDoubleDataCount(), size);
                double[] a = new double[size];
                for (int i = 0; i < size; i++) a[i] = p.getDoubleData(i);
                yield a;
            }
            case LONG -> {
                long[] a = new long[size];
                if (dtype == DType.UINT64) { // ONNX keeps uint32 and uint64 values in uint64_data
                    checkCount(what, "uint64_data", p.getUint64DataCount(), size);
                    for (int i = 0; i < size; i++) a[i] = p.getUint64Data(i);
                } else {
                    checkCount(what, "int64_data", p.getInt64DataCount(), size);
                    for (int i = 0; i < size; i++) a[i] = p.getInt64Data(i);
                }
                yield a;
            }
            case INT -> {
                int[] a = new int[size];
                if (dtype == DType.UINT32) {
                    checkCount(what, "uint64_data", p.getUint64DataCount(), size);
                    for (int i = 0; i < size; i++) a[i] = (int) p.getUint64Data(i);
                } else {
                    checkCount(what, "int32_data", p.getInt32DataCount(), size);
                    for (int i = 0; i < size; i++) a[i] = p.getInt32Data(i);
                }
                yield a;
            }
            case SHORT -> {
                checkCount(what, "int32_data", p.getInt32DataCount(), size);
                short[] a = new short[size];
                for (int i = 0; i < size; i++) a[i] = (short) p.getInt32Data(i);
                yield a;
            }
            case BYTE -> {
                checkCount(what, "int32_data", p.getInt32DataCount(), size);
                byte[] a = new byte[size];
                for (int i = 0; i < size; i++) {
                    int v = p.getInt32Data(i);
                    a[i] = (byte) (dtype == DType.BOOL ? (v != 0 ? 1 : 0) : v);
                }
                yield a;
            }
            case STRING -> throw new AssertionError("strings are read from string_data");
            case COMPLEX64 -> {   // ONNX keeps complex64 as re, im pairs in float_data
                checkCount(what, "float_data", p.getFloatDataCount(), 2 * size);
                float[] a = new float[2 * size];
                for (int i = 0; i < a.length; i++) a[i] = p.getFloatData(i);
                yield a;
            }
            case COMPLEX128 -> {
                checkCount(what, "double_data", p.getDoubleDataCount(), 2 * size);
                double[] a = new double[2 * size];
                for (int i = 0; i < a.length; i++) a[i] = p.getDoubleData(i);
                yield a;
            }
        };
    }

    private static void checkCount(String what, String field, int count, int size) {
        if (count != size) {
            throw new OnnxException(what + " declares " + size + " elements but its " + field + " holds " + count);
        }
    }

    /** A TensorProto holding {@code t} (dense, little-endian raw_data) under {@code name}. */
    public static TensorProto toProto(Tensor t, String name) {
        if (t.isSymbolic()) throw new IllegalArgumentException("tensor " + name + " is symbolic; it has no values");
        Tensor d = t.dense();
        int n = (int) d.size();
        if (d.dtype() == DType.STRING) {
            TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.toOnnx(d.dtype()));
            for (int dim : d.shape().dims()) p.addDims(dim);
            for (byte[] s : (byte[][]) d.data()) p.addStringData(ByteString.copyFrom(s));
            return p.build();
        }
        if (PackedElements.perByte(d.dtype()) > 1) {
            TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.toOnnx(d.dtype()));
            for (int dim : d.shape().dims()) p.addDims(dim);
            return p.setRawData(ByteString.copyFrom(PackedElements.pack(d.dtype(), d.toByteArray()))).build();
        }
        ByteBuffer b = ByteBuffer.allocate(n * d.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (d.dtype().storage()) {
            case FLOAT -> b.asFloatBuffer().put(d.toFloatArray());
            case DOUBLE -> b.asDoubleBuffer().put(d.toDoubleArray());
            case INT -> b.asIntBuffer().put(d.toIntArray());
            case LONG -> b.asLongBuffer().put(d.toLongArray());
            case SHORT -> b.asShortBuffer().put(d.toShortArray());
            case BYTE -> b.put(d.toByteArray());
            case STRING -> throw new AssertionError("strings are written to string_data");
            case COMPLEX64 -> b.asFloatBuffer().put((float[]) d.data(), 0, 2 * n);   // re, im pairs
            case COMPLEX128 -> b.asDoubleBuffer().put((double[]) d.data(), 0, 2 * n);
        }
        TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.toOnnx(d.dtype()));
        for (int dim : d.shape().dims()) p.addDims(dim);
        return p.setRawData(ByteString.copyFrom(b.array())).build();
    }
}
