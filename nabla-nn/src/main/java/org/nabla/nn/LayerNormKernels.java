package org.nabla.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.cpu.Parallel;
import org.nabla.kernels.cpu.VectorMath;

/**
 * CPU kernels of {@link NormalizationOps}: rows of C features, each read once forward (mean, then the centered sum
 * of squares while the row is in cache, then y) and once backward. The float32 kernels split the rows over the kernel
 * threads; dgamma and dbeta are summed per fixed chunk of rows and the chunks added in order, so the result does not
 * depend on the thread count. The float64 kernels are plain loops.
 */
final class LayerNormKernels {
    private LayerNormKernels() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Row chunks of the backward pass, each with its own dgamma and dbeta partial sums. */
    private static final int CHUNKS = 8;

    static Tensor[] forwardFloat(KernelContext ctx) {
        Tensor x = ctx.input(0).dense();
        float[] xs = (float[]) x.data(), gamma = (float[]) ctx.input(1).dense().data();
        float[] beta = (float[]) ctx.input(2).dense().data();
        float eps = (float) ctx.attrs().getDouble("epsilon");
        int c = x.shape().dim(-1), rows = c == 0 ? 0 : xs.length / c;
        float[] y = ctx.allocateFloats(xs.length), mean = new float[rows], rstd = new float[rows];
        int lanes = F.length(), bound = F.loopBound(c);
        Parallel.forRange(rows, grain(c), (from, to) -> {
            for (int r = from; r < to; r++) {
                int at = r * c, j;
                FloatVector acc = FloatVector.zero(F);
                for (j = 0; j < bound; j += lanes) acc = acc.add(FloatVector.fromArray(F, xs, at + j));
                float sum = VectorMath.sumLanes(acc);
                for (; j < c; j++) sum += xs[at + j];
                float mu = sum / c;
                FloatVector vmu = FloatVector.broadcast(F, mu);
                acc = FloatVector.zero(F);
                for (j = 0; j < bound; j += lanes) {
                    FloatVector d = FloatVector.fromArray(F, xs, at + j).sub(vmu);
                    acc = d.fma(d, acc);
                }
                float ss = VectorMath.sumLanes(acc);
                for (; j < c; j++) ss += (xs[at + j] - mu) * (xs[at + j] - mu);
                float rs = (float) (1 / Math.sqrt(ss / c + eps));
                mean[r] = mu;
                rstd[r] = rs;
                FloatVector vrs = FloatVector.broadcast(F, rs);
                for (j = 0; j < bound; j += lanes) {
                    FloatVector.fromArray(F, xs, at + j).sub(vmu).mul(vrs)
                            .fma(FloatVector.fromArray(F, gamma, j), FloatVector.fromArray(F, beta, j))
                            .intoArray(y, at + j);
                }
                for (; j < c; j++) y[at + j] = (xs[at + j] - mu) * rs * gamma[j] + beta[j];
            }
        });
        Shape rowShape = rowShape(x.shape());
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, x.shape(), y), Tensor.wrap(DType.FLOAT32, rowShape, mean),
                Tensor.wrap(DType.FLOAT32, rowShape, rstd)};
    }

    /**
     * With xhat = (x - mean) * rstd and g = dy * gamma: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),
     * dgamma = sum over rows of dy * xhat, dbeta = sum over rows of dy.
     */
    static Tensor[] backwardFloat(KernelContext ctx) {
        Tensor x = ctx.input(1).dense();
        float[] dy = (float[]) ctx.input(0).dense().data(), xs = (float[]) x.data();
        float[] gamma = (float[]) ctx.input(2).dense().data(), mean = (float[]) ctx.input(3).dense().data();
        float[] rstd = (float[]) ctx.input(4).dense().data();
        int c = x.shape().dim(-1), rows = c == 0 ? 0 : xs.length / c;
        float[] dx = ctx.allocateFloats(xs.length);
        float[][] dg = new float[CHUNKS][c], db = new float[CHUNKS][c];
        int lanes = F.length(), bound = F.loopBound(c);
        float inv = 1f / Math.max(1, c);
        Parallel.forRange(CHUNKS, 1, (fromChunk, toChunk) -> {
            for (int k = fromChunk; k < toChunk; k++) {
                float[] dgk = dg[k], dbk = db[k];
                int r0 = (int) ((long) rows * k / CHUNKS), r1 = (int) ((long) rows * (k + 1) / CHUNKS);
                for (int r = r0; r < r1; r++) {
                    int at = r * c, j;
                    FloatVector vmu = FloatVector.broadcast(F, mean[r]), vrs = FloatVector.broadcast(F, rstd[r]);
                    FloatVector sg = FloatVector.zero(F), sgx = FloatVector.zero(F);
                    for (j = 0; j < bound; j += lanes) {   // the row sums, and dgamma, dbeta
                        FloatVector d = FloatVector.fromArray(F, dy, at + j);
                        FloatVector xh = FloatVector.fromArray(F, xs, at + j).sub(vmu).mul(vrs);
                        FloatVector g = d.mul(FloatVector.fromArray(F, gamma, j));
                        sg = sg.add(g);
                        sgx = g.fma(xh, sgx);
                        d.fma(xh, FloatVector.fromArray(F, dgk, j)).intoArray(dgk, j);
                        d.add(FloatVector.fromArray(F, dbk, j)).intoArray(dbk, j);
                    }
                    float sumG = VectorMath.sumLanes(sg), sumGx = VectorMath.sumLanes(sgx);
                    for (int t = j; t < c; t++) {
                        float xh = (xs[at + t] - mean[r]) * rstd[r], g = dy[at + t] * gamma[t];
                        sumG += g;
                        sumGx += g * xh;
                        dgk[t] += dy[at + t] * xh;
                        dbk[t] += dy[at + t];
                    }
                    float mg = sumG * inv, mgx = sumGx * inv;
                    FloatVector vmg = FloatVector.broadcast(F, mg), vmgx = FloatVector.broadcast(F, mgx);
                    for (j = 0; j < bound; j += lanes) {
                        FloatVector xh = FloatVector.fromArray(F, xs, at + j).sub(vmu).mul(vrs);
                        FloatVector g = FloatVector.fromArray(F, dy, at + j).mul(FloatVector.fromArray(F, gamma, j));
                        g.sub(vmg).sub(xh.mul(vmgx)).mul(vrs).intoArray(dx, at + j);
                    }
                    for (; j < c; j++) {
                        float xh = (xs[at + j] - mean[r]) * rstd[r], g = dy[at + j] * gamma[j];
                        dx[at + j] = (g - mg - xh * mgx) * rstd[r];
                    }
                }
            }
        });
        float[] dgamma = new float[c], dbeta = new float[c];
        for (int k = 0; k < CHUNKS; k++) {
            for (int j = 0; j < c; j++) {
                dgamma[j] += dg[k][j];
                dbeta[j] += db[k][j];
            }
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, x.shape(), dx), Tensor.wrap(DType.FLOAT32, Shape.of(c), dgamma),
                Tensor.wrap(DType.FLOAT32, Shape.of(c), dbeta)};
    }

    static Tensor[] forwardDouble(KernelContext ctx) {
        Tensor x = ctx.input(0).dense();
        double[] xs = (double[]) x.data(), gamma = (double[]) ctx.input(1).dense().data();
        double[] beta = (double[]) ctx.input(2).dense().data();
        double eps = ctx.attrs().getDouble("epsilon");
        int c = x.shape().dim(-1), rows = c == 0 ? 0 : xs.length / c;
        double[] y = new double[xs.length], mean = new double[rows], rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            int at = r * c;
            double sum = 0, ss = 0;
            for (int j = 0; j < c; j++) sum += xs[at + j];
            double mu = sum / c;
            for (int j = 0; j < c; j++) ss += (xs[at + j] - mu) * (xs[at + j] - mu);
            double rs = 1 / Math.sqrt(ss / c + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < c; j++) y[at + j] = (xs[at + j] - mu) * rs * gamma[j] + beta[j];
        }
        Shape rowShape = rowShape(x.shape());
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, x.shape(), y), Tensor.wrap(DType.FLOAT64, rowShape, mean),
                Tensor.wrap(DType.FLOAT64, rowShape, rstd)};
    }

    static Tensor[] backwardDouble(KernelContext ctx) {
        Tensor x = ctx.input(1).dense();
        double[] dy = (double[]) ctx.input(0).dense().data(), xs = (double[]) x.data();
        double[] gamma = (double[]) ctx.input(2).dense().data(), mean = (double[]) ctx.input(3).dense().data();
        double[] rstd = (double[]) ctx.input(4).dense().data();
        int c = x.shape().dim(-1), rows = c == 0 ? 0 : xs.length / c;
        double[] dx = new double[xs.length], dgamma = new double[c], dbeta = new double[c];
        for (int r = 0; r < rows; r++) {
            int at = r * c;
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < c; j++) {
                double xh = (xs[at + j] - mean[r]) * rstd[r], g = dy[at + j] * gamma[j];
                sumG += g;
                sumGx += g * xh;
                dgamma[j] += dy[at + j] * xh;
                dbeta[j] += dy[at + j];
            }
            for (int j = 0; j < c; j++) {
                double xh = (xs[at + j] - mean[r]) * rstd[r], g = dy[at + j] * gamma[j];
                dx[at + j] = (g - sumG / c - xh * sumGx / c) * rstd[r];
            }
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, x.shape(), dx), Tensor.wrap(DType.FLOAT64, Shape.of(c), dgamma),
                Tensor.wrap(DType.FLOAT64, Shape.of(c), dbeta)};
    }

    /** Rows per thread task: enough elements that waking a thread pays. */
    private static int grain(int c) { return Math.max(1, (1 << 14) / Math.max(1, c)); }

    private static Shape rowShape(Shape x) {
        int[] d = new int[x.rank() - 1];
        for (int i = 0; i < d.length; i++) d[i] = x.dim(i);
        return Shape.of(d);
    }
}
