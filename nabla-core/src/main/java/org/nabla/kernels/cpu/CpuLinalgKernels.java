package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.Attrs;
import org.nabla.ops.LinalgOps;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * CPU kernels for {@link org.nabla.ops.LinalgOps}. MatMul runs {@link Gemm} once per batch entry. It accepts strided
 * views: a matrix whose last two axes are laid out column-major (a transposed view) is passed to Gemm with its
 * transpose flag flipped instead of being copied, and batch axes are read through their strides (0 when broadcast).
 */
public final class CpuLinalgKernels {
    private CpuLinalgKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            r.register(LinalgOps.MATMUL, CpuDevice.TYPE, d, CpuLinalgKernels::matmul, true);
        }
    }

    /**
     * One matrix operand as Gemm sees it: storage, whether Gemm must transpose it, its row stride, and per batch
     * entry of the output the offset of its matrix.
     */
    private record Operand(Object data, boolean trans, int ld, int[] offsets) {
        static Operand of(Tensor t, boolean transpose, Shape outBatch, int batch) {
            int rank = t.rank();
            int[] st = t.strides();
            int r = t.shape().dim(-2);
            int c = t.shape().dim(-1);
            boolean ok = true;
            for (int s : st) ok &= s >= 0;
            boolean rowMajor = ok && (c <= 1 || st[rank - 1] == 1);
            boolean colMajor = ok && !rowMajor && (r <= 1 || st[rank - 2] == 1);
            if (!rowMajor && !colMajor) {
                t = t.dense();
                st = t.strides();
                rowMajor = true;
            }
            int ld = rowMajor ? (r <= 1 ? Math.max(1, c) : st[rank - 2]) : (c <= 1 ? Math.max(1, r) : st[rank - 1]);
            // Offsets of each batch entry: the input's batch axes aligned right to the output's, stride 0 if broadcast.
            int[] offsets = new int[batch];
            int outRank = outBatch.rank();
            int shift = outRank - (rank - 2);
            int[] idx = new int[outRank];
            int pos = t.offset();
            for (int bi = 0; bi < batch; bi++) {
                offsets[bi] = pos;
                for (int ax = outRank - 1; ax >= 0; ax--) {
                    int stride = ax < shift || t.shape().dim(ax - shift) == 1 ? 0 : st[ax - shift];
                    if (++idx[ax] < outBatch.dim(ax)) {
                        pos += stride;
                        break;
                    }
                    pos -= stride * (idx[ax] - 1);
                    idx[ax] = 0;
                }
            }
            return new Operand(t.data(), rowMajor ? transpose : !transpose, ld, offsets);
        }
    }

    private static Tensor[] matmul(KernelContext ctx) {
        Tensor[] in = ctx.inputs();
        Attrs attrs = ctx.attrs();
        TensorSpec out = ctx.outputSpec(0);
        boolean ta = attrs.getBool("transposeA");
        boolean tb = attrs.getBool("transposeB");
        Shape os = out.shape();
        int rank = os.rank();
        int m = os.dim(-2);
        int n = os.dim(-1);
        int k = in[0].shape().dim(ta ? -2 : -1);
        Shape batchShape = Shape.of(java.util.Arrays.copyOf(os.dims(), rank - 2));
        int batch = batchShape.intSize();
        DType dtype = out.dtype();
        if (batch == 0 || m == 0 || n == 0 || k == 0) { // zeros, as k == 0 sums nothing
            return new Tensor[] {Tensor.wrap(dtype, os, Strided.allocate(dtype.storage(), os.intSize()))};
        }
        Operand a = Operand.of(in[0], ta, batchShape, batch);
        Operand b = Operand.of(in[1], tb, batchShape, batch);
        if (dtype == DType.FLOAT32 && batch == 1 && !ctx.reusesBuffers()) {
            // One fresh result: let Gemm allocate it alongside its first packing.
            float[] c = Gemm.sgemmNew(a.trans, b.trans, m, n, k, (float[]) a.data, a.offsets[0], a.ld,
                    (float[]) b.data, b.offsets[0], b.ld);
            return new Tensor[] {Tensor.wrap(dtype, os, c)};
        }
        // Gemm writes every element of a float result (beta = 0); the integer loops accumulate into zeros.
        Object c = dtype.isFloating() ? ctx.allocate(dtype.storage(), os.intSize())
                : Strided.allocate(dtype.storage(), os.intSize());
        Tensor result = Tensor.wrap(dtype, os, c);
        long work = (long) m * n * k;
        Parallel.RangeBody body = (from, to) -> {
            for (int bi = from; bi < to; bi++) multiply(dtype, a, b, bi, m, n, k, c, bi * m * n);
        };
        if (batch == 1 || work >= Gemm.PARALLEL_WORK) {
            body.run(0, batch); // each product is big enough for Gemm to split across cores itself
        } else {
            Parallel.forRange(batch, (int) Math.max(1, Gemm.PARALLEL_WORK / work), body);
        }
        return new Tensor[] {result};
    }

    private static void multiply(DType dtype, Operand a, Operand b, int bi, int m, int n, int k, Object c, int cOff) {
        int ao = a.offsets[bi];
        int bo = b.offsets[bi];
        switch (dtype) {
            case FLOAT32 -> Gemm.sgemm(a.trans, b.trans, m, n, k, 1f, (float[]) a.data, ao, a.ld,
                    (float[]) b.data, bo, b.ld, 0f, (float[]) c, cOff, n);
            case FLOAT64 -> Gemm.dgemm(a.trans, b.trans, m, n, k, 1.0, (double[]) a.data, ao, a.ld,
                    (double[]) b.data, bo, b.ld, 0.0, (double[]) c, cOff, n);
            case INT32 -> {
                int[] x = (int[]) a.data, y = (int[]) b.data, z = (int[]) c;
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        int av = x[ao + (a.trans ? p * a.ld + i : i * a.ld + p)];
                        for (int j = 0; j < n; j++) {
                            z[cOff + i * n + j] += av * y[bo + (b.trans ? j * b.ld + p : p * b.ld + j)];
                        }
                    }
                }
            }
            case INT64 -> {
                long[] x = (long[]) a.data, y = (long[]) b.data, z = (long[]) c;
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        long av = x[ao + (a.trans ? p * a.ld + i : i * a.ld + p)];
                        for (int j = 0; j < n; j++) {
                            z[cOff + i * n + j] += av * y[bo + (b.trans ? j * b.ld + p : p * b.ld + j)];
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("MatMul: no CPU kernel body for " + dtype);
        }
    }
}
