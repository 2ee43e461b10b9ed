package org.nabla.onnx;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * MelWeightMatrix(num_mel_bins, dft_length, sample_rate, lower_edge_hertz, upper_edge_hertz): the
 * [dft_length / 2 + 1, num_mel_bins] matrix of triangular filters that maps a one-sided spectrum to mel bins, as
 * ONNX's operator defines it: num_mel_bins + 2 points evenly spaced on the mel scale (mel = 2595 log10(1 + hz / 700),
 * the step being the range over num_mel_bins + 2), each turned back into hertz and into a spectrum bin
 * floor((dft_length + 1) hz / sample_rate); filter i rises from point i to point i + 1 and falls to point i + 2.
 * All inputs must be known at import; the matrix is a constant.
 */
final class MelWeightMatrix {
    private MelWeightMatrix() {}

    static Tensor apply(OnnxNode n) {
        int mels = (int) n.constant(0).toLongArray()[0];
        long dft = n.constant(1).toLongArray()[0];
        double rate = n.constant(2).toDoubleArray()[0];
        double lower = n.constant(3).toDoubleArray()[0], upper = n.constant(4).toDoubleArray()[0];
        if (mels <= 0 || dft <= 0 || rate <= 0) {
            throw n.error("num_mel_bins, dft_length and sample_rate must be positive, got " + mels + ", " + dft + ", "
                    + rate);
        }
        int bins = (int) (dft / 2 + 1);
        int points = mels + 2;
        double lowMel = mel(lower), step = (mel(upper) - lowMel) / points;
        int[] at = new int[points];
        for (int i = 0; i < points; i++) {
            double hz = 700 * (Math.pow(10, (i * step + lowMel) / 2595) - 1);
            at[i] = (int) Math.floor((dft + 1) * hz / rate);
        }
        double[] w = new double[bins * mels];
        for (int i = 0; i < mels; i++) {
            int left = at[i], center = at[i + 1], right = at[i + 2];
            if (center == left) {
                set(w, bins, mels, center, i, 1, n);
            } else {
                for (int j = left; j <= center; j++) set(w, bins, mels, j, i, (j - left) / (double) (center - left), n);
            }
            for (int j = center; j < right; j++) set(w, bins, mels, j, i, (right - j) / (double) (right - center), n);
        }
        DType out = OnnxTypes.toDType((int) n.attrInt("output_datatype", 1), n.where() + " 'output_datatype'");
        return Ops.cast(Tensor.wrap(DType.FLOAT64, Shape.of(bins, mels), w), out);
    }

    private static double mel(double hz) { return 2595 * Math.log10(1 + hz / 700); }

    private static void set(double[] w, int bins, int mels, int row, int col, double v, OnnxNode n) {
        if (row < 0 || row >= bins) {
            throw n.error("a filter reaches spectrum bin " + row + ", outside 0.." + (bins - 1) + " (upper_edge_hertz "
                    + "above half the sample rate?)");
        }
        w[row * mels + col] = v;
    }
}
