package org.nabla.data.datasets;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.data.Dataset;

/**
 * A train/test split of labelled images: images are uint8 {@code [N, 28, 28]} (0 to 255), labels int32 {@code [N]}
 * (0 to 9). {@link #train()} and {@link #test()} give ready {@code (x, y)} datasets with x float32
 * {@code [28, 28, 1]} in [0, 1]. {@code source} says where the data came from (folder and format).
 */
public record LabeledImages(String name, String source, Tensor trainImages, Tensor trainLabels, Tensor testImages,
        Tensor testLabels) {
    /** Number of training images. */
    public int numTrain() { return trainImages.shape().dim(0); }

    /** Number of test images. */
    public int numTest() { return testImages.shape().dim(0); }

    /** {@code (image, label)} pairs of the training split: float32 {@code [28, 28, 1]} in [0, 1], int32 label. */
    public Dataset<Tensor[]> train() { return Dataset.fromTensorSlices(toFloat(trainImages), trainLabels); }

    /** {@code (image, label)} pairs of the test split, like {@link #train()}. */
    public Dataset<Tensor[]> test() { return Dataset.fromTensorSlices(toFloat(testImages), testLabels); }

    /** uint8 images {@code [N, H, W]} to float32 {@code [N, H, W, 1]} scaled to [0, 1] (pixel / 255). */
    public static Tensor toFloat(Tensor images) {
        if (images.dtype() != DType.UINT8 || images.rank() != 3) throw new IllegalArgumentException("toFloat: expected "
                + "uint8 images [N, H, W], got " + images.spec());
        byte[] px = images.toByteArray();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) out[i] = (px[i] & 0xff) / 255f;
        int[] d = images.shape().dims();
        return Tensor.wrap(DType.FLOAT32, Shape.of(d[0], d[1], d[2], 1), out);
    }

    @Override
    public String toString() {
        return name + " (" + numTrain() + " train, " + numTest() + " test, from " + source + ")";
    }
}
