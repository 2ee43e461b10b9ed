package org.nabla.onnx;

import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * ONNX's integer quantization on int8/uint8 (and the other integer types Nabla has): QuantizeLinear,
 * DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv. Quantizing rounds
 * half to even and saturates to the output type; integer products are computed exactly in float64 (every int8/uint8
 * product sum of realistic size is far below 2^53) and given as int32, ONNX's accumulator type.
 */
final class Quantization {
    private Quantization() {}

    static void register(OnnxOperators r) {
        r.one("QuantizeLinear", n -> {
            Tensor x = n.required(0), zp = n.in(2);
            DType out = zp != null ? zp.dtype() : n.hasAttr("output_dtype")
                    ? OnnxTypes.toDType((int) n.attrInt("output_dtype", 2), n.where() + " 'output_dtype'")
                    : DType.UINT8;
            Tensor scale = perAxis(n, n.required(1), x);
            Tensor v = Ops.div(x, Ops.cast(scale, x.dtype()));
            Tensor z = zp == null ? null : perAxis(n, Ops.cast(zp, DType.FLOAT64), x);
            if (out.isLowPrecisionFloat()) return quantizeToFloat(v, z, out, n.attrInt("saturate", 1) == 1);
            return quantize(v, z, out);
        });
        r.one("DequantizeLinear", n -> {
            Tensor x = n.required(0), scale = perAxis(n, n.required(1), n.required(0));
            DType out = n.hasAttr("output_dtype") && n.attrInt("output_dtype", 0) != 0
                    ? OnnxTypes.toDType((int) n.attrInt("output_dtype", 1), n.where() + " 'output_dtype'")
                    : scale.dtype();
            Tensor v = Ops.cast(x, DType.FLOAT64);
            if (n.in(2) != null) v = Ops.sub(v, perAxis(n, Ops.cast(n.in(2), DType.FLOAT64), x));
            return Ops.cast(Ops.mul(v, Ops.cast(scale, DType.FLOAT64)), out);
        });
        r.rule("DynamicQuantizeLinear", n -> {
            Tensor x = n.required(0);
            Tensor hi = Ops.maximum(Ops.max(x), 0.0), lo = Ops.minimum(Ops.min(x), 0.0);
            Tensor scale = Ops.div(Ops.sub(hi, lo), 255.0);
            Tensor zp = Ops.cast(Ops.clip(Ops.round(Ops.sub(0.0, Ops.div(lo, scale))), 0, 255), DType.UINT8);
            return List.of(quantize(Ops.div(x, scale), zp, DType.UINT8), scale, zp);
        });
        r.one("MatMulInteger", n -> Ops.cast(MathRules.matmul(
                centered(n.required(0), n.in(2), true), centered(n.required(1), n.in(3), false)), DType.INT32));
        r.one("ConvInteger", n -> Ops.cast(NnRules.convolve(n, centeredChannels(n.required(0), n.in(2)),
                centeredChannels(n.required(1), n.in(3))), DType.INT32));
        r.one("QLinearMatMul", n -> {
            Tensor a = dequantized(n.required(0), n.required(1), n.required(2), true);
            Tensor b = dequantized(n.required(3), n.required(4), n.required(5), false);
            Tensor yZp = n.required(7);
            return quantize(Ops.div(MathRules.matmul(a, b), Ops.cast(n.required(6), DType.FLOAT64)), yZp,
                    yZp.dtype());
        });
        r.one("QLinearConv", n -> {
            Tensor x = Ops.mul(centeredChannels(n.required(0), n.required(2)), Ops.cast(n.required(1), DType.FLOAT64));
            Tensor wScale = Ops.cast(n.required(4), DType.FLOAT64);
            if (wScale.rank() == 1) wScale = Ops.reshape(wScale, -1, 1, 1, 1);
            Tensor w = Ops.mul(centeredChannels(n.required(3), n.required(5)), wScale);
            Tensor y = NnRules.convolve(n, x, w);
            if (n.in(8) != null) {
                Tensor bias = Ops.mul(Ops.cast(n.in(8), DType.FLOAT64), Ops.mul(Ops.cast(n.required(1),
                        DType.FLOAT64), Ops.reshape(wScale, -1)));
                y = Ops.add(y, Ops.reshape(bias, y.rank() == 4 ? new int[] {-1, 1, 1} : new int[] {-1, 1}));
            }
            Tensor yZp = n.required(7);
            return quantize(Ops.div(y, Ops.cast(n.required(6), DType.FLOAT64)), yZp, yZp.dtype());
        });
    }

    /**
     * v + zero point rounded to float8/float4 (nearest even), saturated to the largest finite value unless
     * {@code saturate} is off (then beyond it is infinity or NaN, as Nabla's cast gives).
     */
    private static Tensor quantizeToFloat(Tensor v, Tensor zp, DType out, boolean saturate) {
        Tensor q = Ops.cast(v, DType.FLOAT64);
        if (zp != null) q = Ops.add(q, zp);
        if (saturate) {
            double max = out.maxFinite();
            q = Ops.clip(q, -max, max);
        }
        return Ops.cast(q, out);
    }

    /** round-half-to-even(v) + zero point, saturated to {@code out}'s range. */
    private static Tensor quantize(Tensor v, Tensor zp, DType out) {
        if (!out.isInteger() && !out.isLowPrecision()) {
            throw new UnsupportedOnnxException("quantizing to " + out + " (Nabla quantizes to integer types, float8 "
                    + "and float4)");
        }
        Tensor q = Ops.round(Ops.cast(v, DType.FLOAT64));
        if (zp != null) q = Ops.add(q, Ops.cast(zp, DType.FLOAT64));
        double[] range = range(out);
        return Ops.cast(Ops.clip(q, range[0], range[1]), out);
    }

    private static double[] range(DType t) {
        return switch (t) {
            case INT8 -> new double[] {-128, 127};
            case UINT8 -> new double[] {0, 255};
            case INT16 -> new double[] {-32768, 32767};
            case UINT16 -> new double[] {0, 65535};
            case INT32 -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case UINT32 -> new double[] {0, 4294967295.0};
            case INT4 -> new double[] {-8, 7};
            case UINT4 -> new double[] {0, 15};
            case INT2 -> new double[] {-2, 1};
            case UINT2 -> new double[] {0, 3};
            default -> throw new UnsupportedOnnxException("quantizing to " + t);
        };
    }

    /**
     * A scale or zero point shaped to broadcast against {@code x}: a scalar as it is, a 1-D one along the node's
     * axis (default 1), a blocked one (rank of x, opset 21's block_size) repeated block_size times along the axis.
     */
    private static Tensor perAxis(OnnxNode n, Tensor s, Tensor x) {
        // one element broadcasts alike per tensor or along any axis
        if (s.rank() == 0 || s.shape().isFullyDefined() && s.rank() == 1 && s.size() == 1
                && n.attrInt("block_size", 0) == 0) {
            return Ops.reshape(s);
        }
        int rank = x.rank();
        int axis = (int) n.attrInt("axis", 1);
        if (axis < 0) axis += rank;
        long block = n.attrInt("block_size", 0);
        if (block > 0) {
            int[] dims = s.shape().dims();
            int[] wide = new int[rank + 1], flat = new int[rank];
            for (int i = 0, j = 0; i < rank; i++) {
                wide[j++] = dims[i];
                if (i == axis) wide[j++] = (int) block;
                flat[i] = i == axis ? dims[i] * (int) block : dims[i];
            }
            Tensor tiled = Ops.broadcastTo(Ops.expandDims(s, axis + 1), wide);
            Tensor full = Ops.reshape(tiled, flat);
            int have = NnRules.knownDim(n, x, axis);
            if (flat[axis] == have) return full;
            int[] begin = new int[rank], size = flat.clone();
            size[axis] = have;
            return Ops.slice(full, begin, size);
        }
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[axis] = -1;
        return Ops.reshape(s, shape);
    }

    /** {@code x - zp} in float64; a 1-D zero point is per row of A or per column of B. */
    private static Tensor centered(Tensor x, Tensor zp, boolean rows) {
        Tensor v = Ops.cast(x, DType.FLOAT64);
        if (zp == null) return v;
        Tensor z = Ops.cast(zp, DType.FLOAT64);
        if (z.rank() == 1 && rows && x.rank() >= 2) z = Ops.reshape(z, -1, 1);
        return Ops.sub(v, z);
    }

    /** {@code x - zp} in float64 with a 1-D zero point per channel (axis 1 of NC..., axis 0 of a filter's O...). */
    private static Tensor centeredChannels(Tensor x, Tensor zp) {
        Tensor v = Ops.cast(x, DType.FLOAT64);
        if (zp == null) return v;
        Tensor z = Ops.cast(zp, DType.FLOAT64);
        if (z.rank() == 1 && z.shape().dim(0) != 1) {
            int[] shape = new int[x.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = -1; // a filter's zero point is per output channel
            z = Ops.reshape(z, shape);
        } else {
            z = Ops.reshape(z);
        }
        return Ops.sub(v, z);
    }

    /** (q - zp) * scale in float64; 1-D parameters per row of A or per column of B. */
    private static Tensor dequantized(Tensor q, Tensor scale, Tensor zp, boolean rows) {
        Tensor s = Ops.cast(scale, DType.FLOAT64);
        if (s.rank() == 1 && rows && q.rank() >= 2) s = Ops.reshape(s, -1, 1);
        return Ops.mul(centered(q, zp, rows), s);
    }
}
