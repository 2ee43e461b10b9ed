package org.nabla.strings;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Byte-level text helpers with TensorFlow's rules: a UTF-8 character starts at every byte that is not a continuation
 * byte ({@code 10xxxxxx}), so lengths and substrings in {@code UTF8_CHAR} units never fail on malformed bytes; case
 * mapping is ASCII-only unless the encoding is {@code utf-8}.
 */
final class Utf8 {
    private Utf8() {}

    private static boolean isContinuation(byte b) { return (b & 0xc0) == 0x80; }

    /** The number of UTF-8 characters (bytes that start one). */
    static int charCount(byte[] s) {
        int n = 0;
        for (byte b : s) if (!isContinuation(b)) n++;
        return n;
    }

    /** The byte offset where character {@code chars} starts ({@code s.length} when there are that many or fewer). */
    static int byteOffset(byte[] s, int chars) {
        int seen = 0;
        for (int i = 0; i < s.length; i++) {
            if (!isContinuation(s[i])) {
                if (seen == chars) return i;
                seen++;
            }
        }
        return s.length;
    }

    /** ASCII letters mapped to lower ({@code lower}) or upper case; every other byte kept. */
    static byte[] asciiCase(byte[] s, boolean lower) {
        byte[] out = s.clone();
        for (int i = 0; i < out.length; i++) {
            byte b = out[i];
            if (lower && b >= 'A' && b <= 'Z') out[i] = (byte) (b + 32);
            else if (!lower && b >= 'a' && b <= 'z') out[i] = (byte) (b - 32);
        }
        return out;
    }

    /** Unicode case mapping of the UTF-8 text (locale-independent, as ICU's root locale). */
    static byte[] unicodeCase(byte[] s, boolean lower) {
        String t = decode(s);
        return (lower ? t.toLowerCase(Locale.ROOT) : t.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
    }

    static String decode(byte[] s) { return new String(s, StandardCharsets.UTF_8); }

    static byte[] encode(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Python's {@code bytes.isspace} set, which TensorFlow's whitespace split uses too. */
    static boolean isAsciiSpace(byte b) { return b == ' ' || (b >= 9 && b <= 13); }
}
