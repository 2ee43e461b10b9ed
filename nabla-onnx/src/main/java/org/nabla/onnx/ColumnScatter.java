package org.nabla.onnx;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Col2Im and ConvTranspose of any number of spatial dimensions as one product with a constant 0/1 matrix: column
 * {@code k * L + l} (kernel offset k, block l, both row-major) adds into image position
 * {@code l * stride - pad_begin + k * dilation} when it falls inside the image. Nabla's fused 2-D ops serve the 2-D
 * case; this one serves the others (3-D in ONNX's cases), its matrix of K * L by the image size built at import.
 */
final class ColumnScatter {
    /** Past this many matrix entries the constant would be too large to build (a 3-D volume of ~100^3 with K * L). */
    private static final long MAX_ENTRIES = 1L << 26;

    private ColumnScatter() {}

    /**
     * {@code columns} (N, C, K * L) scattered into images (N, C, image...), where L is the number of blocks along
     * each axis, {@code blocks}.
     */
    static Tensor toImage(OnnxNode n, Tensor columns, int channels, int[] image, int[] kernel, int[] dil,
                          int[] strides, int[] padBegin, int[] blocks) {
        int rank = image.length;
        long k = 1, l = 1, size = 1;
        for (int d = 0; d < rank; d++) {
            k *= kernel[d];
            l *= blocks[d];
            size *= image[d];
        }
        if (k * l * size > MAX_ENTRIES) {
            throw n.unsupported("a " + rank + "-D image of " + size + " positions from " + k * l + " columns is too "
                    + "large for Nabla's N-D path (it builds a dense scatter matrix)");
        }
        float[] m = new float[(int) (k * l * size)];
        int[] kIdx = new int[rank], lIdx = new int[rank];
        for (int ki = 0; ki < k; ki++) {
            unravel(ki, kernel, kIdx);
            for (int li = 0; li < l; li++) {
                unravel(li, blocks, lIdx);
                long at = 0;
                boolean inside = true;
                for (int d = 0; d < rank && inside; d++) {
                    int p = lIdx[d] * strides[d] - padBegin[d] + kIdx[d] * dil[d];
                    inside = p >= 0 && p < image[d];
                    at = at * image[d] + p;
                }
                if (inside) m[(int) ((ki * l + li) * size + at)] += 1;
            }
        }
        Tensor scatter = Ops.cast(Tensor.wrap(DType.FLOAT32, Shape.of((int) (k * l), (int) size), m), columns.dtype());
        Tensor flat = MathRules.matmul(columns, scatter); // (N, C, image size)
        int[] dims = new int[rank + 2];
        dims[0] = -1;
        dims[1] = channels;
        System.arraycopy(image, 0, dims, 2, rank);
        return Ops.reshape(flat, dims);
    }

    private static void unravel(int i, int[] dims, int[] out) {
        for (int d = dims.length - 1; d >= 0; d--) {
            out[d] = i % dims[d];
            i /= dims[d];
        }
    }

    /** ONNX Col2Im of any rank but 2: input (N, C * K, L) with image_shape and block_shape known at import. */
    static Tensor col2Im(OnnxNode n, Tensor x, long[] image, long[] block) {
        int rank = image.length;
        int[] img = new int[rank], kernel = new int[rank], blocks = new int[rank];
        int[] dil = n.attrInts("dilations", ones(rank)), strides = n.attrInts("strides", ones(rank));
        int[] pads = n.attrInts("pads", new int[2 * rank]);
        long k = 1, l = 1;
        for (int d = 0; d < rank; d++) {
            img[d] = (int) image[d];
            kernel[d] = (int) block[d];
            blocks[d] = (img[d] + pads[d] + pads[d + rank] - dil[d] * (kernel[d] - 1) - 1) / strides[d] + 1;
            k *= kernel[d];
            l *= blocks[d];
        }
        int rows = NnRules.knownDim(n, x, 1);
        if (rows % k != 0) throw n.error("dimension 1 (" + rows + ") is not a multiple of the block size " + k);
        if (l != NnRules.knownDim(n, x, 2)) throw n.error("has " + x.shape().dim(2) + " columns, the image and block "
                + "give " + l);
        int channels = (int) (rows / k);
        Tensor columns = Ops.reshape(x, -1, channels, (int) (k * l));
        return toImage(n, columns, channels, img, kernel, dil, strides, java.util.Arrays.copyOf(pads, rank), blocks);
    }

    /**
     * ONNX ConvTranspose with 3 or more spatial dimensions (explicit pads, strides, dilations, output_padding,
     * group): per group, the columns W^T X, then scattered into the output image.
     */
    static Tensor convTranspose(OnnxNode n, Tensor x, Tensor w) {
        int rank = x.rank() - 2, group = (int) n.attrInt("group", 1);
        if (n.hasAttr("output_shape") || !n.attrString("auto_pad", "NOTSET").equals("NOTSET")
                && !n.attrString("auto_pad", "NOTSET").equals("VALID")) {
            throw n.unsupported("ConvTranspose with " + rank + " spatial dimensions takes explicit pads only "
                    + "(not output_shape or auto_pad SAME)");
        }
        int cIn = NnRules.knownDim(n, x, 1), cOutG = NnRules.knownDim(n, w, 1), cInG = cIn / group;
        int[] in = new int[rank], kernel = new int[rank], out = new int[rank];
        int[] strides = n.attrInts("strides", ones(rank)), dil = n.attrInts("dilations", ones(rank));
        int[] outPad = n.attrInts("output_padding", new int[rank]);
        int[] pads = n.attrString("auto_pad", "NOTSET").equals("VALID") ? new int[2 * rank]
                : n.attrInts("pads", new int[2 * rank]);
        long k = 1, l = 1;
        for (int d = 0; d < rank; d++) {
            in[d] = NnRules.knownDim(n, x, 2 + d);
            kernel[d] = NnRules.knownDim(n, w, 2 + d);
            out[d] = strides[d] * (in[d] - 1) + outPad[d] + (kernel[d] - 1) * dil[d] + 1 - pads[d] - pads[d + rank];
            k *= kernel[d];
            l *= in[d];
        }
        Tensor[] parts = new Tensor[group];
        for (int g = 0; g < group; g++) {
            int[] begin = new int[rank + 2], size = new int[rank + 2];
            java.util.Arrays.fill(size, -1);
            begin[1] = g * cInG;
            size[1] = cInG;
            Tensor xg = Ops.reshape(Ops.slice(x, begin, size), -1, cInG, (int) l);            // (N, cin_g, L)
            Tensor wg = Ops.reshape(Ops.slice(w, sliceBegin(rank, g * cInG), sliceSize(rank, cInG)), cInG,
                    (int) (cOutG * k));                                                          // (cin_g, cout_g K)
            Tensor columns = Ops.transpose(MathRules.matmul(Ops.transpose(xg, 0, 2, 1), wg), 0, 2, 1); // (N, cout_g K, L)
            Tensor perChannel = Ops.reshape(columns, -1, cOutG, (int) (k * l));
            parts[g] = toImage(n, perChannel, cOutG, out, kernel, dil, strides, java.util.Arrays.copyOf(pads, rank), in);
        }
        Tensor y = group == 1 ? parts[0] : Ops.concat(1, parts);
        if (n.in(2) == null) return y;
        int[] biasShape = new int[rank + 1];
        java.util.Arrays.fill(biasShape, 1);
        biasShape[0] = -1;
        return Ops.add(y, Ops.reshape(n.in(2), biasShape));
    }

    private static int[] sliceBegin(int rank, int first) {
        int[] b = new int[rank + 2];
        b[0] = first;
        return b;
    }

    private static int[] sliceSize(int rank, int count) {
        int[] s = new int[rank + 2];
        java.util.Arrays.fill(s, -1);
        s[0] = count;
        return s;
    }

    private static int[] ones(int rank) {
        int[] v = new int[rank];
        java.util.Arrays.fill(v, 1);
        return v;
    }
}
