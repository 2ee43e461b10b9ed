package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * RoiAlign(X, rois, batch_indices): for each region of interest, an output_height x output_width grid of bins, each
 * the average (mode avg) or maximum (mode max) of sampling_ratio^2 bilinear samples of X (sampling_ratio 0: as many
 * as the bin's size rounded up), as ONNX defines it: half_pixel shifts the region by half a pixel, output_half_pixel
 * (the legacy mode) does not and makes it at least 1 x 1; samples more than one pixel outside X count as 0; max mode
 * takes, per sample, the largest of the four weighted corner values (as ONNX's reference and ONNX Runtime do).
 * The regions and batch indices must be known at import: the sampling positions, and so the bilinear weights, are
 * then constants, and each region is one matrix product (avg) or a gather and a max (max) over X, which may be
 * computed at run time (gradients reach X).
 */
final class RoiAlign {
    private RoiAlign() {}

    static Tensor apply(OnnxNode n) {
        Tensor x = n.required(0);
        if (x.rank() != 4) throw n.error("X must be 4-D (N, C, H, W), got " + x.shape());
        int channels = NnRules.knownDim(n, x, 1), height = NnRules.knownDim(n, x, 2), width = NnRules.knownDim(n, x, 3);
        double[] rois = n.constant(1).toDoubleArray();
        long[] batch = n.constant(2).toLongArray();
        if (rois.length != 4 * batch.length) throw n.error("rois must be (num_rois, 4) with one batch index per roi");
        int outH = (int) n.attrInt("output_height", 1), outW = (int) n.attrInt("output_width", 1);
        int ratio = (int) n.attrInt("sampling_ratio", 0);
        double scale = n.attrFloat("spatial_scale", 1.0);
        String mode = n.attrString("mode", "avg");
        if (!mode.equals("avg") && !mode.equals("max")) throw n.error("unknown mode '" + mode + "'");
        boolean halfPixel = n.attrString("coordinate_transformation_mode", "half_pixel").equals("half_pixel");
        Tensor pixels = Ops.reshape(x, -1, channels, height * width);
        List<Tensor> out = new ArrayList<>();
        for (int r = 0; r < batch.length; r++) {
            double offset = halfPixel ? 0.5 : 0;
            double startW = rois[4 * r] * scale - offset, startH = rois[4 * r + 1] * scale - offset;
            double roiW = rois[4 * r + 2] * scale - offset - startW, roiH = rois[4 * r + 3] * scale - offset - startH;
            if (!halfPixel) {
                roiW = Math.max(roiW, 1.0);
                roiH = Math.max(roiH, 1.0);
            }
            double binH = roiH / outH, binW = roiW / outW;
            int gridH = ratio > 0 ? ratio : (int) Math.ceil(roiH / outH), gridW = ratio > 0 ? ratio : (int) Math.ceil(roiW / outW);
            int samples = gridH * gridW;
            // per output cell and sample, four corner pixels and their weights
            int cells = outH * outW;
            int[] corner = new int[cells * samples * 4];
            float[] weight = new float[corner.length];
            for (int ph = 0; ph < outH; ph++) {
                for (int pw = 0; pw < outW; pw++) {
                    for (int iy = 0; iy < gridH; iy++) {
                        for (int ix = 0; ix < gridW; ix++) {
                            double y = startH + ph * binH + (iy + 0.5) * binH / gridH;
                            double xx = startW + pw * binW + (ix + 0.5) * binW / gridW;
                            int at = (((ph * outW + pw) * samples) + iy * gridW + ix) * 4;
                            bilinear(y, xx, height, width, corner, weight, at);
                        }
                    }
                }
            }
            Tensor image = Ops.gather(pixels, Ops.constant(new long[] {batch[r]}), 0); // (1, C, H*W)
            Tensor picked = Ops.gather(Ops.reshape(image, channels, height * width),
                    Tensor.wrap(DType.INT32, Shape.of(corner.length), corner), 1); // (C, cells * samples * 4)
            Tensor weighted = Ops.mul(picked, Ops.cast(Tensor.wrap(DType.FLOAT32, Shape.of(weight.length), weight),
                    x.dtype()));
            Tensor cell;
            if (mode.equals("avg")) {
                cell = Ops.div(Ops.sum(Ops.reshape(weighted, channels, cells, samples * 4), 2), Math.max(samples, 1));
            } else {
                cell = Ops.max(Ops.reshape(weighted, channels, cells, samples * 4), 2);
            }
            out.add(Ops.reshape(cell, channels, outH, outW));
        }
        if (out.isEmpty()) return Ops.zeros(x.dtype(), 0, channels, outH, outW);
        return Ops.stack(0, out.toArray(Tensor[]::new));
    }

    /** ONNX's bilinear sample at (y, x): four corners and weights; all weights 0 more than a pixel outside. */
    private static void bilinear(double y, double x, int height, int width, int[] corner, float[] weight, int at) {
        if (y < -1.0 || y > height || x < -1.0 || x > width) return; // corners 0 with weight 0
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int yLow = (int) y, xLow = (int) x, yHigh, xHigh;
        if (yLow >= height - 1) {
            yHigh = yLow = height - 1;
            y = yLow;
        } else {
            yHigh = yLow + 1;
        }
        if (xLow >= width - 1) {
            xHigh = xLow = width - 1;
            x = xLow;
        } else {
            xHigh = xLow + 1;
        }
        double ly = y - yLow, lx = x - xLow, hy = 1 - ly, hx = 1 - lx;
        corner[at] = yLow * width + xLow;
        corner[at + 1] = yLow * width + xHigh;
        corner[at + 2] = yHigh * width + xLow;
        corner[at + 3] = yHigh * width + xHigh;
        weight[at] = (float) (hy * hx);
        weight[at + 1] = (float) (hy * lx);
        weight[at + 2] = (float) (ly * hx);
        weight[at + 3] = (float) (ly * lx);
    }
}
