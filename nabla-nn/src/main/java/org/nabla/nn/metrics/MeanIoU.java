package org.nabla.nn.metrics;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Mean intersection over union of class labels, as Keras' {@code MeanIoU}: a weighted confusion matrix (targets
 * by rows, predictions by columns) over {@code numClasses} classes, the IoU of each class that occurs
 * ({@code tp / (tp + fp + fn)}) and their mean. Targets and predictions are class indices of any shape, or
 * (not sparse) scores whose last-axis argmax is the class. Labels outside [0, numClasses) and {@code ignoreClass}
 * count for nothing. The statistics are the confusion matrix.
 */
public final class MeanIoU extends Metric {
    private final int numClasses;
    private final int ignoreClass;
    private final boolean sparseYTrue;
    private final boolean sparseYPred;

    /** Over class indices for both targets and predictions. */
    public MeanIoU(int numClasses) { this(numClasses, -1, true, true); }

    /**
     * {@code ignoreClass} -1 for none; {@code sparseYTrue}/{@code sparseYPred} false when that side holds scores
     * (e.g. softmax outputs) rather than class indices.
     */
    public MeanIoU(int numClasses, int ignoreClass, boolean sparseYTrue, boolean sparseYPred) {
        if (numClasses < 2) throw new IllegalArgumentException("MeanIoU: numClasses must be >= 2, got " + numClasses);
        this.numClasses = numClasses;
        this.ignoreClass = ignoreClass;
        this.sparseYTrue = sparseYTrue;
        this.sparseYPred = sparseYPred;
    }

    @Override public String name() { return "mean_io_u"; }   // Keras' name for MeanIoU

    @Override
    public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        DType f = yPred.dtype().isFloating() ? yPred.dtype() : DType.FLOAT32;
        Tensor t = Ops.reshape(sparseYTrue ? Ops.cast(yTrue, DType.INT32) : Ops.cast(Ops.argmax(yTrue, -1), DType.INT32), -1);
        Tensor p = Ops.reshape(sparseYPred ? Ops.cast(yPred, DType.INT32) : Ops.cast(Ops.argmax(yPred, -1), DType.INT32), -1);
        Tensor w = sampleWeight == null ? Ops.cast(Ops.onesLike(t), f) : Ops.reshape(Ops.cast(sampleWeight, f), -1);
        if (sampleWeight != null) w = Ops.mul(w, Ops.cast(Ops.onesLike(t), f));
        Tensor valid = Ops.logicalAnd(inRange(t), inRange(p));
        if (ignoreClass >= 0) valid = Ops.logicalAnd(valid, Ops.notEqual(t, ignoreClass));
        w = Ops.mul(w, Ops.cast(valid, f));
        Tensor rows = Ops.oneHot(Ops.where(valid, t, Ops.zerosLike(t)), numClasses, 1, 0, -1, f);   // [M, C]
        Tensor cols = Ops.oneHot(Ops.where(valid, p, Ops.zerosLike(p)), numClasses, 1, 0, -1, f);
        Tensor cm = Ops.matmul(Ops.mul(rows, Ops.expandDims(w, -1)), cols, true, false);        // [C, C]
        return Ops.reshape(cm, -1);
    }

    private Tensor inRange(Tensor c) { return Ops.logicalAnd(Ops.greaterEqual(c, 0), Ops.less(c, numClasses)); }

    @Override
    public double[] result(double[] cm) {
        int c = numClasses;
        double sum = 0;
        int valid = 0;
        for (int i = 0; i < c; i++) {
            double predicted = 0, actual = 0;
            for (int j = 0; j < c; j++) {
                predicted += cm[j * c + i];
                actual += cm[i * c + j];
            }
            double tp = cm[i * c + i], denominator = predicted + actual - tp;
            if (denominator != 0) {
                valid++;
                sum += tp / denominator;
            }
        }
        return new double[] {valid == 0 ? 0 : sum / valid};
    }
}
