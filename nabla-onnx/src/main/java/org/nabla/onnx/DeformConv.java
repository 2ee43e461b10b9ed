package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * DeformConv(X, W, offset, B, mask), 2-D: a convolution whose kernel taps are moved by learned offsets. Tap k of
 * output position (oh, ow) samples X bilinearly at (oh * stride - pad + kh * dilation + dy, ... + dx), the offsets
 * laid out per offset group, tap and (dy, dx) pair; corners outside X count as 0 (torchvision's deform_conv2d, which
 * ONNX's operator follows); the mask, when given, scales each tap. The offsets must be known at import: the bilinear
 * weights are then constants, the sampled columns a gather from X, and the convolution a product with W per group
 * (gradients reach X, W, B and the mask).
 */
final class DeformConv {
    private DeformConv() {}

    static Tensor apply(OnnxNode n) {
        Tensor x = n.required(0), w = n.required(1);
        if (x.rank() != 4) throw n.unsupported("DeformConv with " + (x.rank() - 2) + " spatial dimensions (Nabla has 2-D)");
        int channels = NnRules.knownDim(n, x, 1), height = NnRules.knownDim(n, x, 2), width = NnRules.knownDim(n, x, 3);
        int outC = NnRules.knownDim(n, w, 0), kh = NnRules.knownDim(n, w, 2), kw = NnRules.knownDim(n, w, 3);
        int group = (int) n.attrInt("group", 1), offsetGroup = (int) n.attrInt("offset_group", 1);
        int[] strides = n.attrInts("strides", new int[] {1, 1}), dil = n.attrInts("dilations", new int[] {1, 1});
        int[] pads = n.attrInts("pads", new int[4]);
        int outH = (height + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) / strides[0] + 1;
        int outW = (width + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) / strides[1] + 1;
        int taps = kh * kw, cells = outH * outW, perOffsetGroup = channels / offsetGroup, perGroup = channels / group;
        Tensor offsets = n.constant(2);
        int batch = offsets.shape().dim(0);
        if (!offsets.shape().equals(Shape.of(batch, offsetGroup * taps * 2, outH, outW))) {
            throw n.error("offset must be (N, " + offsetGroup * taps * 2 + ", " + outH + ", " + outW + "), got "
                    + offsets.shape());
        }
        double[] off = offsets.toDoubleArray();
        Tensor mask = n.in(4);
        List<Tensor> images = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            List<Tensor> columns = new ArrayList<>();
            for (int og = 0; og < offsetGroup; og++) {
                int[] corner = new int[taps * cells * 4];
                float[] weight = new float[corner.length];
                for (int k = 0; k < taps; k++) {
                    for (int p = 0; p < cells; p++) {
                        int oh = p / outW, ow = p % outW;
                        int base = ((b * offsetGroup + og) * taps + k) * 2 * cells;
                        double y = oh * strides[0] - pads[0] + (k / kw) * dil[0] + off[base + p];
                        double xx = ow * strides[1] - pads[1] + (k % kw) * dil[1] + off[base + cells + p];
                        bilinear(y, xx, height, width, corner, weight, (k * cells + p) * 4);
                    }
                }
                Tensor image = Ops.reshape(Ops.slice(x, new int[] {b, og * perOffsetGroup, 0, 0},
                        new int[] {1, perOffsetGroup, height, width}), perOffsetGroup, height * width);
                Tensor picked = Ops.gather(image, Tensor.wrap(DType.INT32, Shape.of(corner.length), corner), 1);
                Tensor weighted = Ops.mul(picked, Ops.cast(Tensor.wrap(DType.FLOAT32, Shape.of(weight.length), weight),
                        x.dtype()));
                Tensor cols = Ops.sum(Ops.reshape(weighted, perOffsetGroup, taps, cells, 4), 3); // (Cg, K, P)
                if (mask != null) {
                    cols = Ops.mul(cols, Ops.reshape(Ops.slice(mask, new int[] {b, og * taps, 0, 0},
                            new int[] {1, taps, outH, outW}), 1, taps, cells));
                }
                columns.add(cols);
            }
            Tensor all = offsetGroup == 1 ? columns.get(0) : Ops.concat(0, columns.toArray(Tensor[]::new)); // (C, K, P)
            List<Tensor> outs = new ArrayList<>();
            for (int g = 0; g < group; g++) {
                Tensor wg = Ops.reshape(Ops.slice(w, new int[] {g * outC / group, 0, 0, 0},
                        new int[] {outC / group, perGroup, kh, kw}), outC / group, perGroup * taps);
                Tensor cg = Ops.reshape(Ops.slice(all, new int[] {g * perGroup, 0, 0}, new int[] {perGroup, taps, cells}),
                        perGroup * taps, cells);
                outs.add(Ops.matmul(wg, cg));
            }
            Tensor y = group == 1 ? outs.get(0) : Ops.concat(0, outs.toArray(Tensor[]::new));
            images.add(Ops.reshape(y, outC, outH, outW));
        }
        Tensor y = Ops.stack(0, images.toArray(Tensor[]::new));
        return n.in(3) == null ? y : Ops.add(y, Ops.reshape(n.in(3), -1, 1, 1));
    }

    /** Bilinear weights of the four corners around (y, x); a corner outside the image gets weight 0. */
    private static void bilinear(double y, double x, int height, int width, int[] corner, float[] weight, int at) {
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        double ly = y - y0, lx = x - x0;
        int[] ys = {y0, y0, y0 + 1, y0 + 1}, xs = {x0, x0 + 1, x0, x0 + 1};
        double[] ws = {(1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx};
        for (int i = 0; i < 4; i++) {
            if (ys[i] < 0 || ys[i] >= height || xs[i] < 0 || xs[i] >= width) continue;
            corner[at + i] = ys[i] * width + xs[i];
            weight[at + i] = (float) ws[i];
        }
    }
}
