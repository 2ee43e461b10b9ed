package org.nabla.nn.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** String tensors in checkpoints: length-prefixed bytes (any bytes, empty strings, UTF-8) saved and read back. */
class CheckpointStringsTest {
    @Test
    void stringTensorsRoundTrip(@TempDir Path dir) throws IOException {
        Map<String, Tensor> values = new LinkedHashMap<>();
        values.put("vocab", Tensors.of(new String[] {"", "a", "héllo", "日本"}, 2, 2));
        values.put("raw", Tensors.ofBytes(new byte[][] {{0, (byte) 0xff}, {}}));
        values.put("w", Tensors.of(new float[] {1.5f}, 1));
        Path file = dir.resolve("ckpt");
        Checkpoint.save(file, values);
        Map<String, Tensor> back = Checkpoint.load(file);
        assertEquals(DType.STRING, back.get("vocab").dtype());
        assertEquals(Shape.of(2, 2), back.get("vocab").shape());
        assertArrayEquals(new String[] {"", "a", "héllo", "日本"}, back.get("vocab").toStringArray());
        assertArrayEquals(new byte[] {0, (byte) 0xff}, back.get("raw").toBytesArray()[0]);
        assertEquals(0, back.get("raw").toBytesArray()[1].length);
        assertArrayEquals(new float[] {1.5f}, back.get("w").toFloatArray());
    }

    @Test
    void aStringLengthPastTheEntryIsReportedAsCorruption() {
        byte[] bytes = Checkpoint.toBytes(Map.of("s", Tensors.of(new String[] {"abc"})));
        // the element's uint32 length sits right before its 3 bytes and the 4-byte CRC at the end
        int at = bytes.length - 4 - 3 - 4;
        bytes[at] = 100;
        IOException e = assertThrows(IOException.class, () -> Checkpoint.fromBytes(bytes, "test"));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
}
