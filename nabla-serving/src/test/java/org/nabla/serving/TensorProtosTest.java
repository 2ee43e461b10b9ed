package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.serving.tfproto.DataType;
import org.nabla.serving.tfproto.TensorProto;

/** TensorProto read and written by TensorFlow's rules, checked against hand-written protos and bytes. */
class TensorProtosTest {
    @Test
    void stringTensorsTravelInStringVal() {
        Tensor t = Tensors.of(new String[] {"héllo", "", "tf"}, 3);
        TensorProto p = TensorProtos.of(t);
        assertEquals(DataType.DT_STRING, p.getDtype());
        assertEquals(ByteString.copyFrom("héllo", StandardCharsets.UTF_8), p.getStringVal(0));
        Tensor back = TensorProtos.toTensor(p, "t");
        assertEquals(DType.STRING, back.dtype());
        assertArrayEquals(new String[] {"héllo", "", "tf"}, back.toStringArray());
        // One value for a (2, 2) tensor: repeated, as TensorFlow fills it.
        TensorProto one = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorProtos.shape(new int[] {2, 2})).addStringVal(ByteString.copyFromUtf8("a")).build();
        assertArrayEquals(new String[] {"a", "a", "a", "a"}, TensorProtos.toTensor(one, "t").toStringArray());
        assertEquals(Shape.of(2, 2), TensorProtos.toTensor(one, "t").shape());
    }

    @Test
    void numericTensorsFromTypedFieldsOrLittleEndianContent() {
        long big = (1L << 60) + 1;   // beyond float64's exact range: int64 must not pass through a double
        TensorProto longs = TensorProto.newBuilder().setDtype(DataType.DT_INT64)
                .setTensorShape(TensorProtos.shape(new int[] {2})).addInt64Val(big).addInt64Val(-3).build();
        assertArrayEquals(new long[] {big, -3}, TensorProtos.toTensor(longs, "t").toLongArray());
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(big).putLong(-3);
        TensorProto content = longs.toBuilder().clearInt64Val().setTensorContent(ByteString.copyFrom(b.array())).build();
        assertArrayEquals(new long[] {big, -3}, TensorProtos.toTensor(content, "t").toLongArray());

        TensorProto doubles = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE)
                .setTensorShape(TensorProtos.shape(new int[] {1, 3})).addDoubleVal(0.1).build();
        Tensor d = TensorProtos.toTensor(doubles, "t");
        assertEquals(Shape.of(1, 3), d.shape());
        assertArrayEquals(new double[] {0.1, 0.1, 0.1}, d.toDoubleArray());
        TensorProto none = doubles.toBuilder().clearDoubleVal().build();
        assertArrayEquals(new double[] {0, 0, 0}, TensorProtos.toTensor(none, "t").toDoubleArray());

        TensorProto bools = TensorProto.newBuilder().setDtype(DataType.DT_BOOL)
                .setTensorShape(TensorProtos.shape(new int[] {3})).addBoolVal(true).addBoolVal(false).addBoolVal(true)
                .build();
        Tensor bt = TensorProtos.toTensor(bools, "t");
        assertEquals(DType.BOOL, bt.dtype());
        assertEquals(bools, TensorProtos.of(bt));

        Tensor f = Tensors.of(new float[] {1.5f, -2, 3}, 3, 1);
        TensorProto fp = TensorProtos.of(f);
        assertEquals(java.util.List.of(1.5f, -2f, 3f), fp.getFloatValList());
        assertArrayEquals(f.toFloatArray(), TensorProtos.toTensor(fp, "t").toFloatArray());
        assertEquals(f.shape(), TensorProtos.toTensor(fp, "t").shape());
    }

    @Test
    void malformedProtosAreRefusedWithTheirReason() {
        TensorProto tooMany = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorProtos.shape(new int[] {1})).addFloatVal(1).addFloatVal(2).build();
        assertEquals("t holds 2 values for 1 elements",
                assertThrows(ServingException.class, () -> TensorProtos.toTensor(tooMany, "t")).getMessage());
        TensorProto complex = TensorProto.newBuilder().setDtype(DataType.DT_COMPLEX64).build();
        assertEquals(400, assertThrows(ServingException.class, () -> TensorProtos.toTensor(complex, "t")).status());
        TensorProto unknownRank = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(org.nabla.serving.tfproto.TensorShapeProto.newBuilder().setUnknownRank(true)).build();
        assertEquals("t has an unknown rank",
                assertThrows(ServingException.class, () -> TensorProtos.toTensor(unknownRank, "t")).getMessage());
    }
}
