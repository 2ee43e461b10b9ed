package org.nabla.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;

/**
 * GatherGrad's common case, an embedding's gradient (axis 0, no batch axes, float32 or float64, every index in
 * range): each grad row is added into its table row directly. The general adjoint builds an index map of the whole
 * table ([vocab, dim] ints) and gathers it first; this reads only the indices. The additions into each table element
 * happen in the same order (the grad rows in order), so the bits are the general path's.
 */
final class GatherGradRows {
    private GatherGradRows() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /**
     * grad's rows added into zeros shaped {@code like} at {@code indices}, or null where this case does not apply.
     * The zeros are {@code ctx}'s memory: in a graph step the [vocab, dim] table returns to the step's buffer pool
     * once the optimizer has read it, instead of a fresh 5 MB array per step for the young GC.
     */
    static Tensor scatter(KernelContext ctx, Tensor grad, Tensor indices, Shape like, Attrs attrs) {
        int axis = attrs.getInt("axis");
        if (axis < 0) axis += like.rank();
        if (axis != 0 || attrs.getInt("batchDims") != 0 || like.rank() < 1 || like.dim(0) <= 0) return null;
        if (grad.dtype() != DType.FLOAT32 && grad.dtype() != DType.FLOAT64) return null;
        int rows = like.dim(0), width = like.intSize() / rows, n = indices.shape().intSize();
        if ((long) n * width != grad.shape().intSize()) return null;
        int[] at = rowsOf(indices, rows);
        if (at == null) return null;
        Tensor g = grad.dense();
        if (grad.dtype() == DType.FLOAT32) {
            float[] gd = (float[]) g.data(), z = ctx.allocateFloats(like.intSize());
            Arrays.fill(z, 0f);   // a recycled buffer: the graph's pool takes the table back after the update
            for (int k = 0; k < n; k++) addRow(gd, g.offset() + k * width, z, at[k] * width, width);
            return Tensor.wrap(DType.FLOAT32, like, z);
        }
        double[] gd = (double[]) g.data(), z = ctx.allocateDoubles(like.intSize());
        Arrays.fill(z, 0d);
        for (int k = 0; k < n; k++) addRow(gd, g.offset() + k * width, z, at[k] * width, width);
        return Tensor.wrap(DType.FLOAT64, like, z);
    }

    /** The indices as ints, or null when one is outside [0, rows) (the general path says what is wrong). */
    private static int[] rowsOf(Tensor indices, int rows) {
        int[] at;
        if (indices.dtype() == DType.INT32) {
            at = indices.toIntArray();
        } else if (indices.dtype() == DType.INT64) {
            long[] l = indices.toLongArray();
            at = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                if (l[i] < 0 || l[i] >= rows) return null;   // checked before the cast narrows it
                at[i] = (int) l[i];
            }
            return at;
        } else {
            return null;
        }
        for (int i : at) if (i < 0 || i >= rows) return null;
        return at;
    }

    private static void addRow(float[] g, int gp, float[] z, int zp, int n) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector.fromArray(F, z, zp + j).add(FloatVector.fromArray(F, g, gp + j)).intoArray(z, zp + j);
        }
        for (; j < n; j++) z[zp + j] += g[gp + j];
    }

    private static void addRow(double[] g, int gp, double[] z, int zp, int n) {
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) {
            DoubleVector.fromArray(D, z, zp + j).add(DoubleVector.fromArray(D, g, gp + j)).intoArray(z, zp + j);
        }
        for (; j < n; j++) z[zp + j] += g[gp + j];
    }
}
