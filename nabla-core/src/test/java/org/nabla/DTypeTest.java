package org.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DTypeTest {
    /**
     * The dtype codes of graph files and checkpoints, written out: changing one makes every existing file read wrong,
     * so this table may only grow (docs/graph-format.md, docs/checkpoint-format.md).
     */
    @Test
    void fileCodesArePinned() {
        Map<DType, Integer> pinned = new LinkedHashMap<>();
        pinned.put(DType.FLOAT32, 1);
        pinned.put(DType.FLOAT64, 2);
        pinned.put(DType.INT32, 3);
        pinned.put(DType.INT64, 4);
        pinned.put(DType.UINT8, 5);
        pinned.put(DType.BOOL, 6);
        pinned.put(DType.INT8, 7);
        pinned.put(DType.INT16, 8);
        pinned.put(DType.UINT16, 9);
        pinned.put(DType.UINT32, 10);
        pinned.put(DType.UINT64, 11);
        pinned.put(DType.FLOAT16, 12);
        pinned.put(DType.BFLOAT16, 13);
        pinned.put(DType.STRING, 14);
        pinned.put(DType.COMPLEX64, 15);
        pinned.put(DType.COMPLEX128, 16);
        pinned.put(DType.FLOAT8E4M3FN, 17);
        pinned.put(DType.FLOAT8E4M3FNUZ, 18);
        pinned.put(DType.FLOAT8E5M2, 19);
        pinned.put(DType.FLOAT8E5M2FNUZ, 20);
        pinned.put(DType.UINT4, 21);
        pinned.put(DType.INT4, 22);
        pinned.put(DType.FLOAT4E2M1, 23);
        pinned.put(DType.UINT2, 24);
        pinned.put(DType.INT2, 25);
        assertEquals(DType.values().length, pinned.size(), "a new dtype needs its code pinned here");
        pinned.forEach((d, code) -> assertEquals(code, d.fileCode(), d.toString()));
    }

    @Test
    void everyDTypeRoundTripsThroughItsFileCode() {
        for (DType d : DType.values()) {
            assertSame(d, DType.fromFileCode(d.fileCode()), d.toString());
            assertEquals(d.fileCode() & 0xff, d.fileCode(), d + ": codes are stored in one byte");
        }
    }

    @Test
    void unknownFileCodeNamesItAndTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.fromFileCode(99));
        assertEquals("unknown dtype code 99 (known codes: 1 float32, 2 float64, 3 int32, 4 int64, 5 uint8, 6 bool, "
                + "7 int8, 8 int16, 9 uint16, 10 uint32, 11 uint64, 12 float16, 13 bfloat16, 14 string, 15 complex64, "
                + "16 complex128, 17 float8_e4m3fn, 18 float8_e4m3fnuz, 19 float8_e5m2, 20 float8_e5m2fnuz, 21 uint4, "
                + "22 int4, 23 float4_e2m1fn, 24 uint2, 25 int2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DType.fromFileCode(0));
    }
}
