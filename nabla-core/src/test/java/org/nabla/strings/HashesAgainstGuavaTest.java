package org.nabla.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FarmHash} and {@link SipHash} against Guava's independent implementations (a test-only dependency):
 * {@code Hashing.farmHashFingerprint64()}, documented to match FarmHash's Fingerprint64 (the hash TensorFlow's
 * {@code to_hash_bucket_fast} takes), and {@code Hashing.sipHash24(k0, k1)}. Every length 0 to 200 reaches each
 * branch of Fingerprint64 (0, 1-3, 4-7, 8-16, 17-32, 33-64, 65 and more: one to three 64-byte blocks and every
 * tail), with random bytes, every byte value 0 and 0xff, and UTF-8 text with 2-, 3- and 4-byte characters.
 */
class HashesAgainstGuavaTest {
    private static final HashFunction GUAVA_FINGERPRINT = Hashing.farmHashFingerprint64();

    /** Inputs: per length 0-200 five random byte strings, all zeros and all 0xff; then UTF-8 texts. */
    private static List<byte[]> inputs() {
        SplittableRandom random = new SplittableRandom(20261207);
        List<byte[]> all = new ArrayList<>();
        for (int len = 0; len <= 200; len++) {
            for (int k = 0; k < 5; k++) {
                byte[] b = new byte[len];
                for (int i = 0; i < len; i++) b[i] = (byte) random.nextInt(256);
                all.add(b);
            }
            all.add(new byte[len]);
            byte[] ones = new byte[len];
            java.util.Arrays.fill(ones, (byte) 0xff);
            all.add(ones);
        }
        String[] pieces = {"a", "Z", " ", "é", "ß", "€", "中", "😀", "[UNK]", "\u0000"};
        for (int n = 0; n < 300; n++) {
            StringBuilder s = new StringBuilder();
            int chars = random.nextInt(90);
            for (int i = 0; i < chars; i++) s.append(pieces[random.nextInt(pieces.length)]);
            all.add(s.toString().getBytes(StandardCharsets.UTF_8));
        }
        return all;
    }

    @Test
    void fingerprint64MatchesGuavaOnEveryLengthAndBranch() {
        int checked = 0;
        for (byte[] b : inputs()) {
            long want = GUAVA_FINGERPRINT.hashBytes(b).asLong();
            assertEquals(want, FarmHash.fingerprint64(b), () -> b.length + " bytes " + java.util.HexFormat.of()
                    .formatHex(b));
            checked++;
        }
        assertEquals(201 * 7 + 300, checked);
    }

    @Test
    void sipHash24MatchesGuavaUnderSeveralKeys() {
        long[][] keys = {{0, 0}, {1, 2}, {0x0706050403020100L, 0x0f0e0d0c0b0a0908L}, {-1, Long.MIN_VALUE},
            {0x123456789abcdefL, -0x123456789abcdefL}};
        for (long[] k : keys) {
            HashFunction guava = Hashing.sipHash24(k[0], k[1]);
            for (byte[] b : inputs()) {
                assertEquals(guava.hashBytes(b).asLong(), SipHash.hash(k[0], k[1], b), () -> b.length + " bytes");
            }
        }
    }
}
