package org.nabla.ops;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;

/** Reductions over any axes (sum, mean, max, min, prod, logSumExp, any, all), argmax/argmin and cumsum. */
public final class ReductionOps {
    private ReductionOps() {}

    private static final int[] ALL_AXES = new int[0];

    public static final OpDef SUM = reduction("Sum", Kind.NUMERIC, "sum over axes; empty reductions give 0");
    public static final OpDef MEAN = reduction("Mean", Kind.NUMERIC,
            "mean over axes; integer means truncate toward zero; empty float reductions give NaN");
    public static final OpDef MAX = reduction("Max", Kind.NUMERIC,
            "maximum over axes; NaN propagates; empty reductions give -inf (floats) or the lowest value (ints)");
    public static final OpDef MIN = reduction("Min", Kind.NUMERIC,
            "minimum over axes; NaN propagates; empty reductions give +inf (floats) or the highest value (ints)");
    public static final OpDef PROD = reduction("Prod", Kind.NUMERIC, "product over axes; empty reductions give 1");
    public static final OpDef LOG_SUM_EXP = reduction("LogSumExp", Kind.FLOATING,
            "log(sum(exp(x))) over axes, computed stably as max + log(sum(exp(x - max)))");
    public static final OpDef ANY = reduction("Any", Kind.BOOL, "logical or over axes; empty reductions give false");
    public static final OpDef ALL = reduction("All", Kind.BOOL, "logical and over axes; empty reductions give true");

    public static final OpDef ARG_MAX = argReduction("ArgMax");
    public static final OpDef ARG_MIN = argReduction("ArgMin");

    public static final OpDef CUMSUM = OpDef.builder("Cumsum").inputs("x")
            .attr("axis", AttrType.INT, 0).attr("exclusive", AttrType.BOOL, false).attr("reverse", AttrType.BOOL, false)
            .shape((in, a) -> {
                Infer.requireNumeric("Cumsum", "x", in[0]);
                axis("Cumsum", a.getInt("axis"), in[0].shape());
                return Infer.one(in[0].dtype(), in[0].shape());
            })
            .summary("running sum along axis (tf.math.cumsum); exclusive starts at 0, reverse runs from the end")
            .build();

    private enum Kind { NUMERIC, FLOATING, BOOL }

    private static OpDef reduction(String name, Kind kind, String summary) {
        OpDef.Builder b = OpDef.builder(name).inputs("x")
                .attr("axes", AttrType.INTS, ALL_AXES).attr("keepDims", AttrType.BOOL, false)
                .shape((in, a) -> {
                    switch (kind) {
                        case NUMERIC -> Infer.requireNumeric(name, "x", in[0]);
                        case FLOATING -> Infer.requireFloating(name, "x", in[0]);
                        case BOOL -> Infer.requireDType(name, "x", in[0], DType.BOOL);
                    }
                    return Infer.one(in[0].dtype(), reducedShape(name, in[0].shape(), a.getInts("axes"),
                            a.getBool("keepDims")));
                })
                .summary(summary);
        if (kind == Kind.BOOL) b.notDifferentiable();
        return b.build();
    }

    private static OpDef argReduction(String name) {
        return OpDef.builder(name).inputs("x")
                .attr("axis", AttrType.INT).attr("outputType", AttrType.DTYPE, DType.INT64)
                .shape((in, a) -> {
                    Infer.requireNumeric(name, "x", in[0]);
                    DType t = a.getDType("outputType");
                    if (t != DType.INT32 && t != DType.INT64) {
                        throw new OpException(name, "outputType must be int32 or int64, got " + t);
                    }
                    Shape s = in[0].shape();
                    int ax = axis(name, a.getInt("axis"), s);
                    if (s.dim(ax) == 0) {
                        throw new OpException(name, "cannot take the " + name + " of an empty axis " + ax
                                + " (input shape " + s + ")");
                    }
                    return Infer.one(t, reducedShape(name, s, new int[] {ax}, false));
                })
                .notDifferentiable()
                .summary("index of the " + (name.equals("ArgMax") ? "largest" : "smallest")
                        + " element along axis; ties give the first index, NaN wins (as in NumPy)")
                .build();
    }

    /** Normalizes one axis of {@code shape} or fails naming the axis and the rank. */
    static int axis(String op, int axis, Shape shape) {
        int rank = shape.rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new OpException(op, "axis " + axis + " is out of range for an input of rank " + rank + " (shape "
                    + shape + "); expected " + (rank == 0 ? "no axis" : -rank + " <= axis < " + rank));
        }
        return a;
    }

    /**
     * Which axes of {@code shape} the attribute {@code axes} reduces (empty = all), failing on out-of-range and
     * repeated axes.
     */
    public static boolean[] reducedAxes(String op, Shape shape, int[] axes) {
        int rank = shape.rank();
        boolean[] mask = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int ax : axes) {
            int a = axis(op, ax, shape);
            if (mask[a]) {
                throw new OpException(op, "axis " + ax + " is repeated in axes " + Arrays.toString(axes)
                        + " (input rank " + rank + ")");
            }
            mask[a] = true;
        }
        return mask;
    }

    /** The output shape of a reduction: reduced axes dropped, or kept with size 1. */
    static Shape reducedShape(String op, Shape shape, int[] axes, boolean keepDims) {
        boolean[] mask = reducedAxes(op, shape, axes);
        int[] dims = shape.dims();
        int n = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!mask[i]) dims[n++] = dims[i];
            else if (keepDims) dims[n++] = 1;
        }
        return Shape.of(Arrays.copyOf(dims, n));
    }
}
