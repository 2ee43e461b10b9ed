package org.nabla.strings;

/**
 * SipHash-2-4 (Aumasson and Bernstein's keyed 64-bit hash: two compression rounds per 8-byte word, four finalization
 * rounds), which TensorFlow's {@code StringToHashBucketStrong} takes of each string with its two 64-bit key words.
 * Written from the published specification; pinned by the paper's test vector and TensorFlow's documented example.
 * Public for the lookup layers of nabla-nn (Keras' {@code salt}).
 */
public final class SipHash {
    private SipHash() {}

    /** The SipHash-2-4 of {@code s} under the key words {@code k0}, {@code k1} (the key's bytes little-endian). */
    public static long hash(long k0, long k1, byte[] s) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int whole = s.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            long m = 0;
            for (int b = 7; b >= 0; b--) m = m << 8 | (s[i + b] & 0xffL);
            compress(v, m);
        }
        long last = (long) (s.length & 0xff) << 56;
        for (int b = s.length - 1; b >= whole; b--) last |= (s[b] & 0xffL) << (8 * (b - whole));
        compress(v, last);
        v[2] ^= 0xff;
        for (int r = 0; r < 4; r++) round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
