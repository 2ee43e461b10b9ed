package org.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UTF-8 text files: read as the JDK would, and bytes that are not UTF-8 named by file and byte offset. */
class TextFilesTest {
    @Test
    void readsUtf8TextAndLines(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.csv");
        Files.writeString(f, "epoch,loss\r\n1,0.5\n2,\u00e9\u4e2d\n", StandardCharsets.UTF_8);
        assertEquals("epoch,loss\r\n1,0.5\n2,\u00e9\u4e2d\n", TextFiles.readUtf8(f));
        assertEquals(List.of("epoch,loss", "1,0.5", "2,\u00e9\u4e2d"), TextFiles.readUtf8Lines(f));
        assertEquals("", TextFiles.decodeUtf8(new byte[0], "empty"));
    }

    @Test
    void invalidUtf8NamesTheFileAndTheByteOffset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("labels.txt");
        byte[] bytes = {'c', 'a', 't', '\n', (byte) 0xC3, (byte) 0xA9, '\n', 'd', (byte) 0xFF, 'g'};
        Files.write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> TextFiles.readUtf8(f));
        assertEquals(f + ": not valid UTF-8 at byte offset 8 (0xFF); the file must be UTF-8 text", e.getMessage());

        byte[] cut = {'o', 'k', (byte) 0xE4, (byte) 0xB8}; // a 3-byte sequence cut short at the end
        IOException atEnd = assertThrows(IOException.class, () -> TextFiles.decodeUtf8(cut, "x.json"));
        assertEquals("x.json: not valid UTF-8 at byte offset 2 (0xE4 0xB8); the file must be UTF-8 text",
                atEnd.getMessage());
    }
}
