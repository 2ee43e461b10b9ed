package org.nabla.kernels.cpu;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.Attrs;
import org.nabla.ops.RandomOps;
import org.nabla.storage.Strided;

/**
 * CPU kernels for {@link RandomOps}. Random values are generated in fixed chunks of {@link #CHUNK} elements, chunk
 * {@code c} drawing from its own {@link SplittableRandom} keyed by (seed, c): the result depends only on the seed and
 * the shape, never on the number of threads or on how chunks are spread across them.
 */
public final class CpuRandomKernels {
    private CpuRandomKernels() {}

    /** Elements per independently seeded chunk; part of the output's definition, so never change it casually. */
    static final int CHUNK = 8192;

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** These kernels switch on the storage themselves; the shape functions already rejected unsupported dtypes. */
    private static final DType ANY_DTYPE = null;

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(RandomOps.FILL, cpu, ANY_DTYPE, ctx -> {
            Shape shape = ctx.outputSpec(0).shape();
            Object data = Strided.allocate(ctx.input(0).dtype().storage(), shape.intSize());
            switch (data) {
                case float[] a -> Arrays.fill(a, ((float[]) ctx.input(0).data())[0]);
                case double[] a -> Arrays.fill(a, ((double[]) ctx.input(0).data())[0]);
                case int[] a -> Arrays.fill(a, ((int[]) ctx.input(0).data())[0]);
                case long[] a -> Arrays.fill(a, ((long[]) ctx.input(0).data())[0]);
                case byte[] a -> Arrays.fill(a, ((byte[]) ctx.input(0).data())[0]);
                case short[] a -> Arrays.fill(a, ((short[]) ctx.input(0).data())[0]);
                default -> throw new IllegalStateException();
            }
            return new Tensor[] {Tensor.wrap(ctx.input(0).dtype(), shape, data)};
        });
        r.registerAnyWidened(RandomOps.RANGE, cpu, ctx -> new Tensor[] {range(ctx.attrs(), ctx.outputSpec(0).dtype(),
                ctx.outputSpec(0).shape())});
        r.registerAnyWidened(RandomOps.EYE, cpu, ctx -> {
            DType d = ctx.outputSpec(0).dtype();
            Shape shape = ctx.outputSpec(0).shape();
            int rows = shape.dim(0), cols = shape.dim(1);
            Object data = Strided.allocate(d.storage(), shape.intSize());
            for (int i = 0, n = Math.min(rows, cols); i < n; i++) {
                int k = i * cols + i;
                switch (data) {
                    case float[] a -> a[k] = 1;
                    case double[] a -> a[k] = 1;
                    case int[] a -> a[k] = 1;
                    case long[] a -> a[k] = 1;
                    case byte[] a -> a[k] = 1;
                    case short[] a -> a[k] = 1;
                    default -> throw new IllegalStateException();
                }
            }
            return new Tensor[] {Tensor.wrap(d, shape, data)};
        });
        r.registerAnyWidened(RandomOps.RANDOM_UNIFORM, cpu, ctx -> new Tensor[] {generate(ctx.attrs(),
                ctx.outputSpec(0).dtype(), ctx.outputSpec(0).shape(), Kind.UNIFORM)});
        r.registerAnyWidened(RandomOps.RANDOM_NORMAL, cpu, ctx -> new Tensor[] {generate(ctx.attrs(),
                ctx.outputSpec(0).dtype(), ctx.outputSpec(0).shape(), Kind.NORMAL)});
        r.registerAnyWidened(RandomOps.TRUNCATED_NORMAL, cpu, ctx -> new Tensor[] {generate(ctx.attrs(),
                ctx.outputSpec(0).dtype(), ctx.outputSpec(0).shape(), Kind.TRUNCATED)});
    }

    private static Tensor range(Attrs attrs, DType d, Shape shape) {
        int n = shape.intSize();
        double start = attrs.getDouble("start"), delta = attrs.getDouble("delta");
        Object data = Strided.allocate(d.storage(), n);
        switch (data) {
            // start + i * delta rather than a running sum, so float ranges do not drift (NumPy does the same).
            case float[] a -> { for (int i = 0; i < n; i++) a[i] = (float) (start + i * delta); }
            case double[] a -> { for (int i = 0; i < n; i++) a[i] = start + i * delta; }
            case int[] a -> { for (int i = 0; i < n; i++) a[i] = (int) ((long) start + i * (long) delta); }
            case long[] a -> {
                long s = (long) start, step = (long) delta;
                for (int i = 0; i < n; i++) a[i] = s + i * step;
            }
            case byte[] a -> { for (int i = 0; i < n; i++) a[i] = (byte) ((long) start + i * (long) delta); }
            case short[] a -> { for (int i = 0; i < n; i++) a[i] = (short) ((long) start + i * (long) delta); }
            default -> throw new IllegalStateException();
        }
        return Tensor.wrap(d, shape, data);
    }

    private enum Kind { UNIFORM, NORMAL, TRUNCATED }

    private static Tensor generate(Attrs attrs, DType d, Shape shape, Kind kind) {
        int n = shape.intSize();
        long key = mix64(attrs.getLong("seed") + kind.ordinal() * GAMMA);
        Object data = Strided.allocate(d.storage(), n);
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                SplittableRandom rng = new SplittableRandom(mix64(key + (c + 1L) * GAMMA));
                int lo = c * CHUNK, hi = Math.min(n, lo + CHUNK);
                switch (kind) {
                    case UNIFORM -> uniform(rng, attrs, data, lo, hi);
                    case NORMAL, TRUNCATED -> normal(rng, attrs, data, lo, hi, kind == Kind.TRUNCATED);
                }
            }
        });
        return Tensor.wrap(d, shape, data);
    }

    private static void uniform(SplittableRandom rng, Attrs attrs, Object data, int lo, int hi) {
        double min = attrs.getDouble("minval"), max = attrs.getDouble("maxval"), span = max - min;
        switch (data) {
            case float[] a -> {
                float top = Math.nextDown((float) max);
                for (int i = lo; i < hi; i++) {
                    float v = (float) (min + ((rng.nextInt() >>> 8) * 0x1.0p-24) * span);
                    a[i] = v >= max ? top : v;
                }
            }
            case double[] a -> {
                double top = Math.nextDown(max);
                for (int i = lo; i < hi; i++) {
                    double v = min + rng.nextDouble() * span;
                    a[i] = v >= max ? top : v;
                }
            }
            case int[] a -> { for (int i = lo; i < hi; i++) a[i] = (int) rng.nextLong((long) min, (long) max); }
            case long[] a -> { for (int i = lo; i < hi; i++) a[i] = rng.nextLong((long) min, (long) max); }
            default -> throw new IllegalStateException("RandomUniform: unsupported storage");
        }
    }

    /** Box-Muller pairs in float64; the truncated variant redraws samples beyond 2 standard deviations, as TF does. */
    private static void normal(SplittableRandom rng, Attrs attrs, Object data, int lo, int hi, boolean truncated) {
        double mean = attrs.getDouble("mean"), stddev = attrs.getDouble("stddev");
        float[] f = data instanceof float[] a ? a : null;
        double[] g = data instanceof double[] a ? a : null;
        double spare = 0;
        boolean hasSpare = false;
        for (int i = lo; i < hi; i++) {
            double z;
            do {
                if (hasSpare) {
                    z = spare;
                    hasSpare = false;
                } else {
                    double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log stays finite
                    double theta = 2 * Math.PI * rng.nextDouble();
                    double radius = Math.sqrt(-2 * Math.log(u1));
                    z = radius * Math.cos(theta);
                    spare = radius * Math.sin(theta);
                    hasSpare = true;
                }
            } while (truncated && Math.abs(z) > 2);
            double v = mean + stddev * z;
            if (f != null) f[i] = (float) v; else g[i] = v;
        }
    }

    /** SplitMix64's finalizer: a bijective scramble of 64 bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
