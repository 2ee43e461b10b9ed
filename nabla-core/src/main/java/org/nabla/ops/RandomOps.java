package org.nabla.ops;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;

/** Tensor sources: fill, range, eye, and seeded random uniform, normal and truncated normal. */
public final class RandomOps {
    private RandomOps() {}

    /** The largest number of elements a source op may produce (one Java array). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    public static final OpDef FILL = OpDef.builder("Fill").inputs("value")
            .attr("shape", AttrType.INTS)
            .shape((in, a) -> {
                if (in[0].shape().rank() != 0) {
                    throw new OpException("Fill", "input 'value' must be a scalar (shape ()), got " + in[0]);
                }
                return Infer.one(in[0].dtype(), outputShape("Fill", a.getInts("shape")));
            })
            .summary("a tensor of the given shape with every element equal to the scalar 'value' (and its dtype)")
            .build();

    public static final OpDef RANGE = OpDef.builder("Range")
            .attr("start", AttrType.FLOAT, 0.0)
            .attr("limit", AttrType.FLOAT)
            .attr("delta", AttrType.FLOAT, 1.0)
            .attr("dtype", AttrType.DTYPE, DType.FLOAT32)
            .kernelDTypeFromAttr("dtype")
            .shape((in, a) -> Infer.one(a.getDType("dtype"), Shape.of(rangeSize(a.getDouble("start"),
                    a.getDouble("limit"), a.getDouble("delta"), a.getDType("dtype")))))
            .notDifferentiable()
            .summary("[start, start + delta, ...] up to but excluding limit, like tf.range; delta may be negative")
            .build();

    public static final OpDef EYE = OpDef.builder("Eye")
            .attr("numRows", AttrType.INT)
            .attr("numColumns", AttrType.INT, -1)
            .attr("dtype", AttrType.DTYPE, DType.FLOAT32)
            .kernelDTypeFromAttr("dtype")
            .shape((in, a) -> {
                int rows = a.getInt("numRows");
                int cols = a.getInt("numColumns");
                if (rows < 0 || cols < -1) {
                    throw new OpException("Eye", "numRows and numColumns must be >= 0 (numColumns -1 means numRows), "
                            + "got numRows=" + rows + ", numColumns=" + cols);
                }
                return Infer.one(a.getDType("dtype"), outputShape("Eye", new int[] {rows, cols < 0 ? rows : cols}));
            })
            .notDifferentiable()
            .summary("a matrix with ones on the main diagonal and zeros elsewhere (tf.eye)")
            .build();

    public static final OpDef RANDOM_UNIFORM = OpDef.builder("RandomUniform")
            .attr("shape", AttrType.INTS)
            .attr("dtype", AttrType.DTYPE, DType.FLOAT32)
            .attr("minval", AttrType.FLOAT, 0.0)
            .attr("maxval", AttrType.FLOAT, 1.0)
            .attr("seed", AttrType.LONG, 0L)
            .kernelDTypeFromAttr("dtype")
            .shape((in, a) -> {
                DType d = a.getDType("dtype");
                double lo = a.getDouble("minval"), hi = a.getDouble("maxval");
                if (!d.isFloating() && d != DType.INT32 && d != DType.INT64) {
                    throw new OpException("RandomUniform", "dtype must be float16, bfloat16, float32, float64, int32 or "
                            + "int64, got " + d);
                }
                if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                    throw new OpException("RandomUniform", "need finite minval < maxval, got minval=" + lo
                            + ", maxval=" + hi);
                }
                if (d.isInteger() && (lo != Math.rint(lo) || hi != Math.rint(hi) || !fits(d, lo) || !fits(d, hi))) {
                    throw new OpException("RandomUniform", "minval and maxval must be " + d + " integers for dtype "
                            + d + ", got minval=" + lo + ", maxval=" + hi);
                }
                return Infer.one(d, outputShape("RandomUniform", a.getInts("shape")));
            })
            .notDifferentiable().stateful()
            .summary("uniform samples in [minval, maxval) from a counter-based generator keyed by 'seed'")
            .build();

    public static final OpDef RANDOM_NORMAL = normal("RandomNormal")
            .summary("normal samples with the given mean and stddev, keyed by 'seed'")
            .build();

    public static final OpDef TRUNCATED_NORMAL = normal("TruncatedNormal")
            .summary("normal samples redrawn until within 2 stddev of the mean (tf.random.truncated_normal)")
            .build();

    /** RandomNormal and TruncatedNormal: the same attributes, defaults and shape rule. */
    private static OpDef.Builder normal(String op) {
        return OpDef.builder(op)
                .attr("shape", AttrType.INTS)
                .attr("dtype", AttrType.DTYPE, DType.FLOAT32)
                .attr("mean", AttrType.FLOAT, 0.0)
                .attr("stddev", AttrType.FLOAT, 1.0)
                .attr("seed", AttrType.LONG, 0L)
                .kernelDTypeFromAttr("dtype")
                .shape((in, a) -> normalSpec(op, a))
                .notDifferentiable().stateful();
    }

    private static TensorSpec[] normalSpec(String op, Attrs a) {
        DType d = a.getDType("dtype");
        if (!d.isFloating()) throw new OpException(op, "dtype must be float16, bfloat16, float32 or float64, got " + d);
        double mean = a.getDouble("mean"), stddev = a.getDouble("stddev");
        if (!Double.isFinite(mean) || !(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new OpException(op, "need a finite mean and a finite stddev >= 0, got mean=" + mean + ", stddev="
                    + stddev);
        }
        return Infer.one(d, outputShape(op, a.getInts("shape")));
    }

    private static boolean fits(DType d, double v) {
        return d == DType.INT32 ? v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE
                : v >= -0x1p63 && v < 0x1p63;
    }

    /** Validates a requested output shape: dims >= 0 and a size that fits one Java array. */
    static Shape outputShape(String op, int[] dims) {
        long size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new OpException(op, "shape " + Arrays.toString(dims) + " has a negative dimension " + d
                        + " (dimensions must be >= 0)");
            }
            size *= d;
            if (size > MAX_ELEMENTS) {
                throw new OpException(op, "shape " + Arrays.toString(dims) + " has more than " + MAX_ELEMENTS
                        + " elements, too many for one CPU tensor");
            }
        }
        return Shape.of(dims);
    }

    /**
     * The length of {@code range(start, limit, delta)}: {@code ceil((limit - start) / delta)}. As in TensorFlow, a
     * delta of 0, or a delta pointing away from limit, is an error; start == limit gives an empty range.
     */
    static int rangeSize(double start, double limit, double delta, DType dtype) {
        if (!dtype.isNumeric()) throw new OpException("Range", "dtype must be numeric, got " + dtype);
        if (!Double.isFinite(start) || !Double.isFinite(limit) || !Double.isFinite(delta)) {
            throw new OpException("Range", "start, limit and delta must be finite, got start=" + start + ", limit="
                    + limit + ", delta=" + delta);
        }
        if (delta == 0) throw new OpException("Range", "delta must not be 0 (start=" + start + ", limit=" + limit + ")");
        if (delta > 0 && start > limit) {
            throw new OpException("Range", "start must be <= limit when delta > 0, got start=" + start + ", limit="
                    + limit + ", delta=" + delta);
        }
        if (delta < 0 && start < limit) {
            throw new OpException("Range", "start must be >= limit when delta < 0, got start=" + start + ", limit="
                    + limit + ", delta=" + delta);
        }
        if (dtype.isInteger() && (start != Math.rint(start) || limit != Math.rint(limit) || delta != Math.rint(delta))) {
            throw new OpException("Range", "start, limit and delta must be integers for dtype " + dtype + ", got start="
                    + start + ", limit=" + limit + ", delta=" + delta);
        }
        double bound = 0x1p53; // attributes are float64: larger integers would not be exact
        if (dtype.isInteger() && (Math.abs(start) > bound || Math.abs(limit) > bound || Math.abs(delta) > bound)) {
            throw new OpException("Range", "integer bounds beyond 2^53 are not exact as float64 attributes, got start="
                    + start + ", limit=" + limit + ", delta=" + delta);
        }
        // TensorFlow computes the size in the output type; float32 ranges can differ from a float64 computation.
        double size = dtype == DType.FLOAT32 ? Math.ceil((float) ((float) limit - (float) start) / (float) delta)
                : Math.ceil((limit - start) / delta);
        if (size > MAX_ELEMENTS) {
            throw new OpException("Range", "range(" + start + ", " + limit + ", " + delta + ") has " + (long) size
                    + " elements, more than one CPU tensor holds (" + MAX_ELEMENTS + ")");
        }
        if (dtype.isInteger() && size > 0) {
            double last = start + (size - 1) * delta;
            int bits = 8 * dtype.byteSize(); // 64-bit bounds are never reached: values stay within 2^53 (above)
            double lo = dtype.isUnsigned() ? 0 : -Math.scalb(1.0, bits - 1);
            double hi = dtype.isUnsigned() ? Math.scalb(1.0, bits) - 1 : Math.scalb(1.0, bits - 1) - 1;
            if (Math.min(start, last) < lo || Math.max(start, last) > hi) {
                throw new OpException("Range", "values from " + start + " to " + last + " do not fit dtype " + dtype);
            }
        }
        return (int) size;
    }
}
