package org.nabla.kernels.cpu;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.ops.TensorSpec;

/** Equal and NotEqual of string tensors: byte-for-byte comparison of each broadcast pair (TensorFlow's semantics). */
final class StringEquality {
    private StringEquality() {}

    /** {@code x == y} ({@code equal}) or {@code x != y} elementwise, broadcast to {@code out}; inputs are dense. */
    static Tensor apply(Tensor x, Tensor y, TensorSpec out, boolean equal) {
        byte[][] a = (byte[][]) x.data(), b = (byte[][]) y.data();
        byte[] z = new byte[out.shape().intSize()];
        Broadcasting.forEachRow(x.shape(), y.shape(), out.shape(), (ap, as, bp, bs, op, len) -> {
            for (int i = 0; i < len; i++) {
                z[op + i] = (byte) (Arrays.equals(a[ap + i * as], b[bp + i * bs]) == equal ? 1 : 0);
            }
        });
        return Tensor.wrap(DType.BOOL, out.shape(), z);
    }
}
