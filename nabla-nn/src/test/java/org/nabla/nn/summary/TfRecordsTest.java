package org.nabla.nn.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class TfRecordsTest {
    @Test
    void crc32cAndItsMaskMatchKnownValues() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, crc.getValue(), "CRC-32C's standard check value");
        // ((0xE3069283 >>> 15) | (0xE3069283 << 17)) + 0xa282ead8, step by step:
        // 0x0001C60D | 0x25060000 = 0x2507C60D, plus 0xA282EAD8 = 0xC78AB0E5 (mod 2^32)
        assertEquals(0xC78AB0E5, TfRecords.mask(0xE3069283));
    }

    @Test
    void theFirstRecordOfAnEventFileStartsAsTensorFlowsDo() {
        // every TensorFlow event file starts 18 00 00 00 00 00 00 00 a3 7f 4b 22: the length 24 of the file-version
        // event and its masked CRC32C
        byte[] record = TfRecords.frame(EventProtos.fileVersionEvent(1.0));
        assertEquals("1800000000000000a37f4b22", HexFormat.of().formatHex(record, 0, 12));
    }

    @Test
    void framesParseBackAndFlipAnyBitIsCaught() {
        byte[] data = "some event".getBytes(StandardCharsets.UTF_8);
        byte[] record = TfRecords.frame(data);
        assertEquals(TfRecords.OVERHEAD + data.length, record.length);
        EventFileReader r = EventFileReader.parse(record);
        assertFalse(r.truncatedTail());
        assertArrayEquals(data, r.records().get(0));
        for (int i = 0; i < record.length; i++) {
            byte[] bad = record.clone();
            bad[i] ^= 0x10;
            int at = i;
            // a changed length may also make the record look cut short; anything else must fail its checksum
            try {
                EventFileReader p = EventFileReader.parse(bad);
                assertTrue(p.truncatedTail() && p.records().isEmpty(), "flipped byte " + at + " went unnoticed");
            } catch (IllegalStateException expected) {
                assertTrue(expected.getMessage().contains("checksum"));
            }
        }
        assertThrows(IllegalStateException.class, () -> EventFileReader.parse(flip(record, 13)));
    }

    private static byte[] flip(byte[] b, int i) {
        byte[] c = b.clone();
        c[i] ^= 1;
        return c;
    }
}
