package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.MathOps;
import org.nabla.ops.TensorSpec;

/** CPU kernels for {@link MathOps}: elementwise arithmetic and logic over broadcast rows. */
public final class CpuMathKernels implements KernelProvider {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    public void registerKernels(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(MathOps.ADD, cpu, DType.FLOAT32, (in, attrs, out) -> addFloat(in[0], in[1], out[0]));
        r.register(MathOps.ADD, cpu, DType.FLOAT64, (in, attrs, out) -> {
            double[] x = (double[]) in[0].data(), y = (double[]) in[1].data(), z = new double[out[0].shape().intSize()];
            Broadcasting.forEachRow(in[0].shape(), in[1].shape(), out[0].shape(), (ap, as, bp, bs, op, len) -> {
                for (int i = 0; i < len; i++) z[op + i] = x[ap + i * as] + y[bp + i * bs];
            });
            return new Tensor[] {Tensor.wrap(DType.FLOAT64, out[0].shape(), z)};
        });
        r.register(MathOps.ADD, cpu, DType.INT32, (in, attrs, out) -> {
            int[] x = (int[]) in[0].data(), y = (int[]) in[1].data(), z = new int[out[0].shape().intSize()];
            Broadcasting.forEachRow(in[0].shape(), in[1].shape(), out[0].shape(), (ap, as, bp, bs, op, len) -> {
                for (int i = 0; i < len; i++) z[op + i] = x[ap + i * as] + y[bp + i * bs];
            });
            return new Tensor[] {Tensor.wrap(DType.INT32, out[0].shape(), z)};
        });
        r.register(MathOps.ADD, cpu, DType.INT64, (in, attrs, out) -> {
            long[] x = (long[]) in[0].data(), y = (long[]) in[1].data(), z = new long[out[0].shape().intSize()];
            Broadcasting.forEachRow(in[0].shape(), in[1].shape(), out[0].shape(), (ap, as, bp, bs, op, len) -> {
                for (int i = 0; i < len; i++) z[op + i] = x[ap + i * as] + y[bp + i * bs];
            });
            return new Tensor[] {Tensor.wrap(DType.INT64, out[0].shape(), z)};
        });
        r.register(MathOps.ADD, cpu, DType.UINT8, (in, attrs, out) -> {
            byte[] x = (byte[]) in[0].data(), y = (byte[]) in[1].data(), z = new byte[out[0].shape().intSize()];
            Broadcasting.forEachRow(in[0].shape(), in[1].shape(), out[0].shape(), (ap, as, bp, bs, op, len) -> {
                for (int i = 0; i < len; i++) z[op + i] = (byte) (x[ap + i * as] + y[bp + i * bs]);
            });
            return new Tensor[] {Tensor.wrap(DType.UINT8, out[0].shape(), z)};
        });
    }

    private static Tensor[] addFloat(Tensor a, Tensor b, TensorSpec out) {
        float[] x = (float[]) a.data();
        float[] y = (float[]) b.data();
        float[] z = new float[out.shape().intSize()];
        Broadcasting.forEachRow(a.shape(), b.shape(), out.shape(), (ap, as, bp, bs, op, len) -> {
            int i = 0;
            if (as == 1 && bs == 1) {
                for (int bound = F.loopBound(len); i < bound; i += F.length()) {
                    FloatVector.fromArray(F, x, ap + i).add(FloatVector.fromArray(F, y, bp + i)).intoArray(z, op + i);
                }
            } else if (as == 1 && bs == 0) {
                FloatVector s = FloatVector.broadcast(F, y[bp]);
                for (int bound = F.loopBound(len); i < bound; i += F.length()) {
                    FloatVector.fromArray(F, x, ap + i).add(s).intoArray(z, op + i);
                }
            } else if (as == 0 && bs == 1) {
                FloatVector s = FloatVector.broadcast(F, x[ap]);
                for (int bound = F.loopBound(len); i < bound; i += F.length()) {
                    s.add(FloatVector.fromArray(F, y, bp + i)).intoArray(z, op + i);
                }
            }
            for (; i < len; i++) z[op + i] = x[ap + i * as] + y[bp + i * bs];
        });
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, out.shape(), z)};
    }
}
