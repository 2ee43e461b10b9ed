package org.nabla.onnx;

import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;

/** Spatial operators built from other ops: CenterCropPad, LpPool, GridSample. */
final class ImageRules {
    private ImageRules() {}

    static void register(OnnxOperators r) {
        r.one("CenterCropPad", ImageRules::centerCropPad);
        r.one("GridSample", GridSample::apply);
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
}
