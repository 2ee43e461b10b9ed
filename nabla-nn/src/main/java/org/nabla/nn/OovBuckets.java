package org.nabla.nn;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpException;
import org.nabla.strings.FarmHash;
import org.nabla.strings.SipHash;

/**
 * How many out-of-vocabulary indices a lookup has (Keras' {@code num_oov_indices}) and which one a value outside the
 * vocabulary gets when there is more than one, as Keras' {@code IndexLookup._lookup_dense} picks it: FLOORMOD
 * {@code floorMod(value, count)} (integers; IntegerLookup's default {@code oov_method}), FARMHASH FarmHash
 * Fingerprint64 of the string's UTF-8 bytes, or of the integer's decimal text ({@code tf.strings.as_string}), modulo
 * count as an unsigned number ({@code tf.strings.to_hash_bucket_fast}), or SIPHASH SipHash-2-4 under the key words
 * {@code salt0}, {@code salt1} likewise ({@code to_hash_bucket_strong}, Keras' {@code salt}). A bucket is 0 to
 * count-1; the lookup adds its first oov index. The ops carry these as attributes, so saved graphs keep them.
 *
 * @param count how many oov indices (0: a value outside the vocabulary is an error)
 * @param method FLOORMOD, FARMHASH or SIPHASH
 * @param salt0 SipHash's first key word (SIPHASH only)
 * @param salt1 SipHash's second key word (SIPHASH only)
 */
public record OovBuckets(int count, String method, long salt0, long salt1) {
    /** The methods, as the ops' {@code oovMethod} attribute spells them. */
    public static final List<String> METHODS = List.of("FLOORMOD", "FARMHASH", "SIPHASH");

    /** One oov index (Keras' default): every value outside the vocabulary gets it. */
    public static final OovBuckets ONE = new OovBuckets(1, "FARMHASH", 0, 0);

    /** Checks the count and the method. */
    public OovBuckets {
        Objects.requireNonNull(method, "method");
        if (count < 0) throw new IllegalArgumentException("the number of oov indices must be >= 0, got " + count);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("the oov method must be one of " + METHODS + ", got " + method);
        }
    }

    /** {@code attrs} with these as the op attributes {@code numOovIndices}, {@code oovMethod}, {@code salt0/1}. */
    Attrs addTo(Attrs attrs) {
        return attrs.with("numOovIndices", count).with("oovMethod", method).with("salt0", salt0).with("salt1", salt1);
    }

    /** The buckets an op's attributes describe. */
    static OovBuckets of(Attrs a) {
        return new OovBuckets(a.getInt("numOovIndices"), a.getString("oovMethod"), a.getLong("salt0"),
                a.getLong("salt1"));
    }

    /** The bucket of a string's bytes (FLOORMOD does not apply to strings: {@link #check} refuses it). */
    long bucket(byte[] utf8) {
        long h = method.equals("SIPHASH") ? SipHash.hash(salt0, salt1, utf8) : FarmHash.fingerprint64(utf8);
        return Long.remainderUnsigned(h, count);
    }

    /** The bucket of an integer. */
    long bucket(long value) {
        if (method.equals("FLOORMOD")) return Math.floorMod(value, (long) count);
        return bucket(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** Checks an op's attributes: at least 0 indices, a known method, FLOORMOD only for integers. */
    static void check(String op, Attrs a, boolean strings) {
        int n = a.getInt("numOovIndices");
        if (n < 0) throw new OpException(op, "numOovIndices must be >= 0, got " + n);
        String m = a.getString("oovMethod");
        if (!METHODS.contains(m)) throw new OpException(op, "oovMethod must be one of " + METHODS + ", got " + m);
        if (strings && m.equals("FLOORMOD")) {
            throw new OpException(op, "oovMethod FLOORMOD is for integer values; strings take FARMHASH or SIPHASH");
        }
    }
}
