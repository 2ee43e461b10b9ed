package org.nabla.lowp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.io.Json;

/**
 * The float8, float4, int4/uint4 and int2/uint2 dtypes against ml_dtypes 0.6 (JAX's), from
 * {@code scripts/references/lowp_reference.py}'s checked-in output: every bit pattern of each float decoded, float32
 * values (every representable value, every tie, values beside the ties, the overflow thresholds, signed zeros,
 * infinities, NaN, random values) cast to each type bit for bit, and the small integers' truncate-and-wrap casts.
 */
class LowPrecisionReferenceTest {
    private static final Map<String, DType> FLOATS = Map.of("float8_e4m3fn", DType.FLOAT8E4M3FN,
            "float8_e4m3fnuz", DType.FLOAT8E4M3FNUZ, "float8_e5m2", DType.FLOAT8E5M2,
            "float8_e5m2fnuz", DType.FLOAT8E5M2FNUZ, "float4_e2m1fn", DType.FLOAT4E2M1);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reference(String section) throws IOException {
        try (InputStream in = LowPrecisionReferenceTest.class.getResourceAsStream("/lowp/lowp.json")) {
            var all = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return (Map<String, Object>) all.get(section);
        }
    }

    private static double parseHex(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            case "-nan" -> Double.longBitsToDouble(0xfff8000000000000L);
            default -> Double.parseDouble(s);
        };
    }

    @SuppressWarnings("unchecked")
    private static double[] doubles(Object list) {
        return ((List<Object>) list).stream().mapToDouble(o -> parseHex((String) o)).toArray();
    }

    @SuppressWarnings("unchecked")
    private static long[] longs(Object list) {
        return ((List<Object>) list).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float4_e2m1fn"})
    void everyBitPatternDecodesAsMlDtypes(String name) throws IOException {
        DType dtype = FLOATS.get(name);
        double[] expected = doubles(((Map<String, Object>) reference("floats").get(name)).get("decoded"));
        byte[] codes = new byte[expected.length];
        for (int i = 0; i < codes.length; i++) codes[i] = (byte) i;
        float[] got = Ops.cast(Tensor.wrap(dtype, Shape.of(codes.length), codes), DType.FLOAT32).toFloatArray();
        for (int i = 0; i < codes.length; i++) {
            // floatToIntBits: -0 differs from +0, every NaN is one value
            assertEquals(Float.floatToIntBits((float) expected[i]), Float.floatToIntBits(got[i]),
                    name + " code " + i + ": expected " + expected[i] + ", got " + got[i]);
        }
        assertArrayEquals(got, Tensor.wrap(dtype, Shape.of(codes.length), codes).toFloatArray());
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float4_e2m1fn"})
    void float32CastsBitForBitAsMlDtypes(String name) throws IOException {
        DType dtype = FLOATS.get(name);
        var section = (Map<String, Object>) reference("floats").get(name);
        float[] x = floats(doubles(section.get("x")));
        long[] expected = longs(section.get("bits"));
        int mask = dtype == DType.FLOAT4E2M1 ? 0xf : 0xff;
        byte[] got = Ops.cast(Tensors.of(x, x.length), dtype).toByteArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], got[i] & mask, name + " of " + x[i] + " (" + Float.toHexString(x[i]) + ")");
        }
        // float64 sources convert the same where the value is a float32 (no double rounding)
        double[] wide = new double[x.length];
        for (int i = 0; i < x.length; i++) wide[i] = x[i];
        byte[] fromDouble = Ops.cast(Tensors.of(wide, wide.length), dtype).toByteArray();
        for (int i = 0; i < x.length; i++) assertEquals(expected[i], fromDouble[i] & mask, name + " of double " + x[i]);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"int4", "uint4", "int2", "uint2"})
    void smallIntegersTruncateAndWrapAsMlDtypes(String name) throws IOException {
        DType dtype = DType.of(name);
        var ints = reference("ints");
        var section = (Map<String, Object>) ints.get(name);
        float[] fx = floats(doubles(ints.get("float32")));
        long[] ix = longs(ints.get("int64"));
        assertArrayEquals(longs(section.get("from_float32")), Ops.cast(Tensors.of(fx, fx.length), dtype).toLongArray());
        Tensor fromInts = Ops.cast(Tensors.of(ix, ix.length), dtype);
        assertArrayEquals(longs(section.get("from_int64")), fromInts.toLongArray());
        // and back out, exactly
        assertArrayEquals(longs(section.get("from_int64")), Ops.cast(fromInts, DType.INT64).toLongArray());
    }

    @Test
    void lowPrecisionDtypesAreStorageTypes() {
        Tensor x = Ops.cast(Tensors.of(new float[] {0.5f, -1.75f, 448f}, 3), DType.FLOAT8E4M3FN);
        assertTrue(x.toString().contains("[  0.5   -1.75 448.  ]"), x.toString());
        assertTrue(!DType.FLOAT8E4M3FN.isNumeric() && !DType.INT4.isInteger() && DType.INT4.isLowPrecision());
        var e = assertThrows(RuntimeException.class, () -> Ops.add(x, x));
        assertTrue(e.getMessage().contains("float8_e4m3fn"), e.getMessage());
        assertEquals(448.0, DType.FLOAT8E4M3FN.maxFinite());
        assertEquals(57344.0, DType.FLOAT8E5M2.maxFinite());
        assertEquals(6.0, DType.FLOAT4E2M1.maxFinite());
        // data movement carries the bits
        assertArrayEquals(new float[] {0.5f, -1.75f, 448f, 0.5f, -1.75f, 448f},
                Ops.concat(0, x, x).toFloatArray());
        assertArrayEquals(new float[] {0.5f, -1.75f, 448f}, Ops.reshape(Ops.reshape(x, 3, 1), 3).toFloatArray());
    }
}
