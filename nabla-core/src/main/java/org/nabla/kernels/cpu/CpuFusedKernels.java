package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.FusedOps;
import org.nabla.ops.FusedOps.Fn;
import org.nabla.ops.TensorSpec;

/**
 * CPU kernel for {@link FusedOps}: FusedElementwise runs its program block by block. Each block of {@value #BLOCK}
 * elements is evaluated instruction by instruction with Vector API loops into small stack buffers that stay in L1,
 * and only the last instruction writes the output: inputs are read once and the output written once, where the
 * unfused chain wrote and re-read one full intermediate tensor per op. Blocks are split across cores.
 */
public final class CpuFusedKernels {
    private CpuFusedKernels() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f);
    /** Elements per block: a stack buffer is 4 KiB. */
    static final int BLOCK = 1024;
    /** Elements per parallel chunk. */
    private static final int GRAIN = 1 << 14;

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        r.register(FusedOps.FUSED_ELEMENTWISE, CpuDevice.TYPE, DType.FLOAT32, CpuFusedKernels::compute);
        r.register(FusedOps.FUSED_CONV2D, CpuDevice.TYPE, DType.FLOAT32, FusedConvKernel::compute);
        r.register(FusedOps.FUSED_CONV2D_MAX_POOL_ARGMAX, CpuDevice.TYPE, DType.FLOAT32,
                FusedConvKernel::computeWithArgmax);
        r.register(FusedOps.FUSED_POOL_RELU_FILTER_GRAD, CpuDevice.TYPE, DType.FLOAT32, PoolReluFilterGrad::compute);
        r.register(FusedOps.FUSED_MAT_MUL, CpuDevice.TYPE, DType.FLOAT32, FusedMatMulKernel::compute);
        r.register(FusedOps.FUSED_MAT_MUL_PAIR, CpuDevice.TYPE, DType.FLOAT32, FusedMatMulPairKernel::compute);
    }

    /**
     * How an input is read: the whole output's shape, one broadcast scalar, a repeated trailing block (a bias), or
     * each element repeated over trailing axes of size 1 (a per-row statistic such as a layer norm's mean [N, T, 1]).
     */
    private enum Kind { FULL, SCALAR, CYCLIC, REPEATED }

    private static Tensor[] compute(KernelContext ctx) {
        Tensor[] in = ctx.inputs();
        Attrs attrs = ctx.attrs();
        TensorSpec[] out = ctx.outputSpecs();
        int[] program = attrs.getInts("program");
        double[] p = attrs.getDoubles("params");
        float[] params = new float[p.length];
        for (int i = 0; i < p.length; i++) params[i] = (float) p[i];
        Shape shape = out[0].shape();
        int n = shape.intSize();
        int depth = FusedOps.maxStackDepth(program, in.length, params.length);
        float[][] data = new float[in.length][];
        int[] offsets = new int[in.length], sizes = new int[in.length];
        Kind[] kinds = new Kind[in.length];
        for (int i = 0; i < in.length; i++) {
            // A view (a Split output, a slice) starts at its offset in a shared array; strided views are copied.
            Tensor t = in[i].isDense() ? in[i] : in[i].dense();
            if (t.shape().equals(shape)) {
                kinds[i] = Kind.FULL;
            } else if (t.size() == 1) {
                kinds[i] = Kind.SCALAR;
            } else if (isTrailingBlock(t.shape(), shape)) {
                kinds[i] = Kind.CYCLIC;
            } else if (repeats(t.shape(), shape) > 0) {
                kinds[i] = Kind.REPEATED;
            } else { // a general broadcast: materialize it (rare in fused chains)
                Attrs to = Attrs.of("shape", shape.dims());
                t = ctx.call(ArrayOps.BROADCAST_TO, to, t)[0].dense();
                kinds[i] = Kind.FULL;
            }
            data[i] = (float[]) t.data();
            offsets[i] = t.offset();
            sizes[i] = kinds[i] == Kind.REPEATED ? repeats(t.shape(), shape) : t.shape().intSize();
        }
        float[] z = new float[n];
        Parallel.forRange(n, GRAIN, (from, to) -> run(program, params, data, offsets, sizes, kinds, depth, z, from,
                to));
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, shape, z)};
    }

    /** True when {@code in}, leading 1s dropped, equals the trailing dimensions of {@code out}. */
    private static boolean isTrailingBlock(Shape in, Shape out) {
        int[] d = in.dims();
        int lead = 0;
        while (lead < d.length && d[lead] == 1) lead++;
        int k = d.length - lead;
        if (k > out.rank()) return false;
        for (int i = 0; i < k; i++) if (d[lead + i] != out.dim(out.rank() - k + i)) return false;
        return true;
    }

    /**
     * How often each element repeats when {@code in} has the rank of {@code out}, its leading axes equal to out's and
     * its trailing axes 1 (at least one); 0 otherwise.
     */
    private static int repeats(Shape in, Shape out) {
        if (in.rank() != out.rank() || in.rank() == 0) return 0;
        int k = in.rank();
        while (k > 0 && in.dim(k - 1) == 1) k--;
        if (k == in.rank()) return 0;
        for (int i = 0; i < k; i++) if (in.dim(i) != out.dim(i)) return 0;
        int repeat = 1;
        for (int i = k; i < out.rank(); i++) repeat *= out.dim(i);
        return repeat;
    }

    private static void run(int[] program, float[] params, float[][] data, int[] offsets, int[] sizes, Kind[] kinds,
                            int depth, float[] z, int from, int to) {
        float[][] temp = new float[depth][BLOCK];
        float[][] arr = new float[depth][];
        int[] off = new int[depth];
        int last = program.length - 2;
        for (int base = from; base < to; base += BLOCK) {
            int len = Math.min(BLOCK, to - base);
            int sp = 0;
            for (int pc = 0; pc < program.length; pc += 2) {
                Fn f = Fn.ofCode(program[pc]);
                int arg = program[pc + 1];
                if (f == Fn.LOAD) {
                    load(data[arg], offsets[arg], sizes[arg], kinds[arg], base, len, temp[sp], arr, off, sp);
                    sp++;
                    continue;
                }
                int s = sp - f.arity; // the result replaces the operands at stack slot s
                float[] dst = pc == last ? z : temp[s];
                int dOff = pc == last ? base : 0;
                if (f.arity == 1) {
                    unary(f, f == Fn.LEAKY_RELU ? params[arg] : 0f, arr[s], off[s], dst, dOff, len);
                } else {
                    binary(f, arr[s], off[s], arr[s + 1], off[s + 1], dst, dOff, len);
                }
                arr[s] = dst;
                off[s] = dOff;
                sp = s + 1;
            }
            if (program.length == 2) System.arraycopy(arr[0], off[0], z, base, len); // a lone LOAD
        }
    }

    /** Loads elements [base, base + len) of an input whose {@code size} elements start at {@code src[start]}. */
    private static void load(float[] src, int start, int size, Kind kind, int base, int len, float[] buf,
                             float[][] arr, int[] off, int sp) {
        switch (kind) {
            case FULL -> {
                arr[sp] = src;
                off[sp] = start + base;
            }
            case SCALAR -> {
                java.util.Arrays.fill(buf, 0, len, src[start]);
                arr[sp] = buf;
                off[sp] = 0;
            }
            case CYCLIC -> {
                int m = size;
                int pos = (int) ((long) base % m);
                for (int j = 0; j < len; ) {
                    int c = Math.min(m - pos, len - j);
                    System.arraycopy(src, start + pos, buf, j, c);
                    j += c;
                    pos = 0;
                }
                arr[sp] = buf;
                off[sp] = 0;
            }
            case REPEATED -> { // here size is the repeat count: output element e reads src[start + e / size]
                for (int j = 0; j < len; ) {
                    long e = (long) base + j;
                    int c = (int) Math.min(size - e % size, len - j);
                    java.util.Arrays.fill(buf, j, j + c, src[start + (int) (e / size)]);
                    j += c;
                }
                arr[sp] = buf;
                off[sp] = 0;
            }
        }
    }

    // One small loop per function, so each lanewise operator is a constant the JIT vectorizes (see UnaryLoops).

    /**
     * {@code z[zo + i] = f(a[ao + i])} for i < len: a vector loop, then a scalar tail; exp, log, log1p, tanh,
     * sin, cos and sigmoid run whole through {@link VectorMath} (masked last vector), bitwise as the unfused kernels.
     */
    private static void unary(Fn f, float alpha, float[] a, int ao, float[] z, int zo, int len) {
        int bound = F.loopBound(len);
        int i = switch (f) {
            case NEG -> negV(a, ao, z, zo, bound);
            case ABS -> absV(a, ao, z, zo, bound);
            case SQUARE -> square(a, ao, z, zo, bound);
            case EXP -> { VectorMath.exp(a, ao, z, zo, len); yield len; }
            case LOG -> { VectorMath.log(a, ao, z, zo, len); yield len; }
            case LOG1P -> { VectorMath.log1p(a, ao, z, zo, len); yield len; }
            case SIN -> { VectorMath.sin(a, ao, z, zo, len); yield len; }
            case COS -> { VectorMath.cos(a, ao, z, zo, len); yield len; }
            case TANH -> { VectorMath.tanh(a, ao, z, zo, len); yield len; }
            case SQRT -> sqrtV(a, ao, z, zo, bound);
            case RSQRT -> rsqrt(a, ao, z, zo, bound);
            case RECIPROCAL -> reciprocal(a, ao, z, zo, bound);
            case RELU -> relu(a, ao, z, zo, bound);
            case RELU6 -> relu6(a, ao, z, zo, bound);
            case LEAKY_RELU -> leakyRelu(alpha, a, ao, z, zo, bound);
            case SIGMOID -> { VectorMath.sigmoid(a, ao, z, zo, len); yield len; }
            default -> throw new IllegalStateException("not a unary instruction: " + f);
        };
        for (; i < len; i++) z[zo + i] = scalar(f, alpha, a[ao + i]);
    }

    private static int negV(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).neg().intoArray(z, zo + j);
        }
        return bound;
    }

    private static int absV(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).abs().intoArray(z, zo + j);
        }
        return bound;
    }

    private static int square(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, ao + j);
            v.mul(v).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int sqrtV(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).sqrt().intoArray(z, zo + j);
        }
        return bound;
    }

    private static int rsqrt(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            ONE.div(FloatVector.fromArray(F, a, ao + j).sqrt()).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int reciprocal(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            ONE.div(FloatVector.fromArray(F, a, ao + j)).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int relu(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).max(0f).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int relu6(float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).max(0f).min(6f).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int leakyRelu(float alpha, float[] a, int ao, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, ao + j);
            v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(z, zo + j);
        }
        return bound;
    }

    /** The scalar tail: float64 formulas rounded once, as the unfused kernels compute them. */
    private static float scalar(Fn f, float alpha, float x) {
        double d = x;
        return switch (f) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case EXP -> (float) Math.exp(d);
            case LOG -> (float) Math.log(d);
            case LOG1P -> (float) Math.log1p(d);
            case SIN -> (float) Math.sin(d);
            case COS -> (float) Math.cos(d);
            case TANH -> (float) Math.tanh(d);
            case SQRT -> (float) Math.sqrt(d);
            case RSQRT -> (float) (1 / Math.sqrt(d));
            case RECIPROCAL -> (float) (1 / d);
            case RELU -> x > 0 ? x : (x == x ? 0f : x);
            case RELU6 -> x > 0 ? Math.min(x, 6f) : (x == x ? 0f : x);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SIGMOID -> {
                double e = Math.exp(-Math.abs(d));
                yield (float) (d >= 0 ? 1 / (1 + e) : e / (1 + e));
            }
            default -> throw new IllegalStateException("not a unary instruction: " + f);
        };
    }

    /** {@code z[zo + i] = f(a[ao + i], b[bo + i])} for i < len. */
    private static void binary(Fn f, float[] a, int ao, float[] b, int bo, float[] z, int zo, int len) {
        int bound = F.loopBound(len);
        int i = switch (f) {
            case ADD -> addV(a, ao, b, bo, z, zo, bound);
            case SUB -> subV(a, ao, b, bo, z, zo, bound);
            case MUL -> mulV(a, ao, b, bo, z, zo, bound);
            case DIV -> divV(a, ao, b, bo, z, zo, bound);
            case MAXIMUM -> maxV(a, ao, b, bo, z, zo, bound);
            case MINIMUM -> minV(a, ao, b, bo, z, zo, bound);
            default -> throw new IllegalStateException("not a binary instruction: " + f);
        };
        for (; i < len; i++) {
            float x = a[ao + i], y = b[bo + i];
            z[zo + i] = switch (f) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MAXIMUM -> Math.max(x, y);
                case MINIMUM -> Math.min(x, y);
                default -> throw new IllegalStateException(f.toString());
            };
        }
    }

    private static int addV(float[] a, int ao, float[] b, int bo, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).add(FloatVector.fromArray(F, b, bo + j)).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int subV(float[] a, int ao, float[] b, int bo, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).sub(FloatVector.fromArray(F, b, bo + j)).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int mulV(float[] a, int ao, float[] b, int bo, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).mul(FloatVector.fromArray(F, b, bo + j)).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int divV(float[] a, int ao, float[] b, int bo, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).div(FloatVector.fromArray(F, b, bo + j)).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int maxV(float[] a, int ao, float[] b, int bo, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).max(FloatVector.fromArray(F, b, bo + j)).intoArray(z, zo + j);
        }
        return bound;
    }

    private static int minV(float[] a, int ao, float[] b, int bo, float[] z, int zo, int bound) {
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, a, ao + j).min(FloatVector.fromArray(F, b, bo + j)).intoArray(z, zo + j);
        }
        return bound;
    }
}
