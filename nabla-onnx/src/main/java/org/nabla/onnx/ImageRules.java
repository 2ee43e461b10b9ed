package org.nabla.onnx;

import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;

/** Spatial operators built from other ops: CenterCropPad, LpPool, GridSample, Col2Im, AffineGrid. */
final class ImageRules {
    private ImageRules() {}

    static void register(OnnxOperators r) {
        r.one("CenterCropPad", ImageRules::centerCropPad);
        r.one("GridSample", GridSample::apply);
        r.one("RoiAlign", RoiAlign::apply);
        r.one("DeformConv", DeformConv::apply);
        r.one("Col2Im", ImageRules::col2Im);
        r.one("AffineGrid", ImageRules::affineGrid);
        r.rule("LpPool", n -> {
            Tensor x = n.required(0);
            double p = n.attrInt("p", 2);
            int[] k = n.attrInts("kernel_shape", null);
            if (k == null) throw n.error("needs kernel_shape");
            long window = 1;
            for (int d : k) window *= d;
            // (sum over the window of |x|^p)^(1/p), as ONNX's reference: the average pool times the window size.
            Tensor mean = Pooling.pool(n, Ops.pow(Ops.abs(x), p), false, true).get(0);
            return List.of(Ops.pow(Ops.mul(mean, (double) window), 1 / p));
        });
    }

    /** Crops (centered, the odd element off the end) or zero-pads (likewise) each of the axes to the given size. */
    private static Tensor centerCropPad(OnnxNode n) {
        Tensor x = n.required(0);
        long[] target = n.constant(1).toLongArray();
        int rank = x.rank();
        int[] axes = n.attrInts("axes", null);
        if (axes == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) axes[i] = i;
        }
        if (axes.length != target.length) throw n.error("shape has " + target.length + " values for " + axes.length
                + " axes");
        int[] begin = new int[rank], size = new int[rank];
        int[][] pads = new int[rank][2];
        java.util.Arrays.fill(size, -1);
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            int dim = NnRules.knownDim(n, x, a), want = (int) target[i];
            if (want < dim) {
                begin[a] = (dim - want) / 2;
                size[a] = want;
            } else if (want > dim) {
                pads[a][0] = (want - dim) / 2;
                pads[a][1] = want - dim - pads[a][0];
            }
        }
        return Ops.pad(Ops.slice(x, begin, size), pads);
    }

    /**
     * Col2Im (2-D): sums the columns (N, C * kH * kW, L) back into images (N, C, H, W), the adjoint of extracting
     * the patches; computed as the input gradient of a grouped convolution whose one-hot filter copies each patch
     * element to its own channel.
     */
    private static Tensor col2Im(OnnxNode n) {
        Tensor x = n.required(0);
        long[] image = n.constant(1).toLongArray(), block = n.constant(2).toLongArray();
        if (image.length != block.length || image.length == 0) {
            throw n.error("image_shape " + java.util.Arrays.toString(image) + " and block_shape "
                    + java.util.Arrays.toString(block) + " must have one entry per spatial dimension");
        }
        if (image.length != 2) return ColumnScatter.col2Im(n, x, image, block);
        int[] dil = n.attrInts("dilations", new int[] {1, 1}), strides = n.attrInts("strides", new int[] {1, 1});
        int[] pads = n.attrInts("pads", new int[4]);
        int kh = (int) block[0], kw = (int) block[1], h = (int) image[0], w = (int) image[1];
        int batch = NnRules.knownDim(n, x, 0), rows = NnRules.knownDim(n, x, 1);
        if (rows % (kh * kw) != 0) throw n.error("dimension 1 (" + rows + ") is not a multiple of the block size "
                + kh * kw);
        int c = rows / (kh * kw);
        int lh = (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) / strides[0] + 1;
        int lw = (w + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) / strides[1] + 1;
        if ((long) lh * lw != NnRules.knownDim(n, x, 2)) throw n.error("has " + x.shape().dim(2) + " columns, the "
                + "image and block give " + lh + " x " + lw);
        float[] filter = new float[kh * kw * c * kh * kw]; // HWIO: (kH, kW, 1, C * kH * kW)
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ch = 0; ch < c; ch++) filter[((i * kw + j) * c + ch) * kh * kw + i * kw + j] = 1;
            }
        }
        Tensor f = Ops.cast(org.nabla.Tensors.of(filter, kh, kw, 1, c * kh * kw), x.dtype());
        org.nabla.Conv2dOptions o = org.nabla.Conv2dOptions.defaults().strides(strides[0], strides[1])
                .dilations(dil[0], dil[1]).groups(c).dataFormat("NCHW")
                .explicitPaddings(pads[0], pads[2], pads[1], pads[3]);
        Tensor grad = Ops.reshape(x, batch, rows, lh, lw);
        return Ops.conv2dBackpropInput(Ops.zeros(x.dtype(), batch, c, h, w), f, grad, o);
    }

    /**
     * AffineGrid: the normalized sampling grid (N, D..., k) of affine matrices theta (N, k, k + 1) over a size known
     * at import: each output position's homogeneous coordinates (x, y[, z], 1) in [-1, 1] (pixel centers, or the
     * corners with align_corners) times theta. The base grid is a constant, the product runs on theta at run time.
     */
    private static Tensor affineGrid(OnnxNode n) {
        Tensor theta = n.required(0);
        long[] size = n.constant(1).toLongArray();
        int k = size.length - 2;
        if (k != 2 && k != 3) throw n.error("size must be (N, C, H, W) or (N, C, D, H, W), got "
                + java.util.Arrays.toString(size));
        boolean align = n.attrInt("align_corners", 0) == 1;
        int[] dims = new int[k];
        int points = 1;
        for (int i = 0; i < k; i++) points *= dims[i] = (int) size[2 + i];
        double[] base = new double[points * (k + 1)];
        for (int p = 0; p < points; p++) {
            int rest = p;
            for (int i = k - 1; i >= 0; i--) { // column k - 1 - i holds the coordinate of spatial axis i (x first)
                int at = rest % dims[i];
                rest /= dims[i];
                double c = align ? (dims[i] == 1 ? 0 : -1 + 2.0 * at / (dims[i] - 1)) : -1 + (2.0 * at + 1) / dims[i];
                base[p * (k + 1) + (k - 1 - i)] = c;
            }
            base[p * (k + 1) + k] = 1;
        }
        Tensor grid = Ops.cast(org.nabla.Tensors.of(base, points, k + 1), theta.dtype());
        Tensor y = Ops.matmul(Ops.broadcastTo(grid, (int) size[0], points, k + 1), theta, false, true);
        int[] shape = new int[k + 2];
        shape[0] = (int) size[0];
        System.arraycopy(dims, 0, shape, 1, k);
        shape[k + 1] = k;
        return Ops.reshape(y, shape);
    }
}
