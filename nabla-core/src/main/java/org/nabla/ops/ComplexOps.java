package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/**
 * Complex numbers (TensorFlow's names and semantics): building complex64/complex128 tensors from their parts, taking
 * them apart, conjugate, modulus and argument. Arithmetic on complex tensors (Add, Mul, Exp, MatMul, Sum...) is the
 * ordinary math ops with complex kernels; the Fourier transforms are in {@link FftOps}.
 */
public final class ComplexOps {
    private ComplexOps() {}

    /** {@code tf.complex}: real + imag * 1j from two float32 (float64) tensors, broadcast, to complex64 (128). */
    public static final OpDef COMPLEX = OpDef.builder("Complex").inputs("real", "imag")
            .shape((in, a) -> {
                DType d = Infer.sameDType("Complex", in[0], in[1]);
                Infer.requireDType("Complex", "real", in[0], DType.FLOAT32, DType.FLOAT64);
                return Infer.one(d.complexOf(), Infer.broadcast("Complex", in[0].shape(), in[1].shape()));
            })
            .summary("real + imag * 1j, broadcast; float32 parts give complex64, float64 parts complex128").build();

    /** {@code tf.math.real}: the real parts, float32 for complex64 and float64 for complex128. */
    public static final OpDef REAL = toReal("Real").summary("the real part of each element").build();

    /** {@code tf.math.imag}: the imaginary parts. */
    public static final OpDef IMAG = toReal("Imag").summary("the imaginary part of each element").build();

    /** {@code tf.math.conj}: re - im * 1j. */
    public static final OpDef CONJ = OpDef.builder("Conj").inputs("input")
            .shape((in, a) -> {
                requireComplex("Conj", in[0]);
                return Infer.one(in[0].dtype(), in[0].shape());
            })
            .summary("the complex conjugate re - im * 1j").build();

    /** {@code tf.abs} of a complex tensor: the modulus sqrt(re^2 + im^2), computed without overflow (hypot). */
    public static final OpDef COMPLEX_ABS = toReal("ComplexAbs")
            .summary("the modulus |z| = sqrt(re^2 + im^2), without intermediate overflow").build();

    /** {@code tf.math.angle}: the argument atan2(im, re), in [-pi, pi]. */
    public static final OpDef ANGLE = toReal("Angle").summary("the argument atan2(im, re), in [-pi, pi]").build();

    private static OpDef.Builder toReal(String name) {
        return OpDef.builder(name).inputs("input").shape((in, a) -> {
            requireComplex(name, in[0]);
            return Infer.one(in[0].dtype().realPart(), in[0].shape());
        });
    }

    static void requireComplex(String op, TensorSpec spec) {
        if (!spec.dtype().isComplex()) {
            throw new OpException(op, "input must be complex64 or complex128, got " + spec
                    + (spec.dtype().isFloating() ? "; make one with Ops.complex(real, imag) or Ops.cast" : ""));
        }
    }

    /** The shape with its last {@code axes} dimensions checked to exist (rank at least {@code axes}). */
    static Shape requireInnerAxes(String op, TensorSpec spec, int axes) {
        if (spec.shape().rank() < axes) {
            throw new OpException(op, "input needs rank >= " + axes + " (the transform runs over the innermost "
                    + (axes == 1 ? "axis" : axes + " axes") + "), got " + spec);
        }
        return spec.shape();
    }
}
