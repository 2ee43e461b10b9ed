package org.nabla.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading the UTF-8 text files Nabla keeps (saved model signatures, checkpoint indexes, CSV histories, cluster
 * files): bytes that are not UTF-8 fail with an {@link IOException} naming the file and the byte offset, where the
 * JDK's decoder says only "Input length = 1".
 */
public final class TextFiles {
    private TextFiles() {}

    /** The whole file as text. */
    public static String readUtf8(Path file) throws IOException {
        return decodeUtf8(Files.readAllBytes(file), file.toString());
    }

    /** The file's lines (split at \n, \r or \r\n, as {@link String#lines()}). */
    public static List<String> readUtf8Lines(Path file) throws IOException {
        return readUtf8(file).lines().toList();
    }

    /** {@code bytes} decoded as UTF-8; {@code source} names them in the error. */
    public static String decodeUtf8(byte[] bytes, String source) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1); // UTF-8 never gives more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int at = in.position();
            StringBuilder seen = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + result.length()); i++) {
                seen.append(seen.isEmpty() ? "" : " ").append(String.format("0x%02X", bytes[i] & 0xff));
            }
            throw new IOException(source + ": not valid UTF-8 at byte offset " + at + " (" + seen + "); the file must"
                    + " be UTF-8 text");
        }
        return out.flip().toString();
    }
}
