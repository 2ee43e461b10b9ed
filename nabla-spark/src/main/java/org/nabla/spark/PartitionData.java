package org.nabla.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * One partition's examples as tensors: rows of {@code (features, label)} (the two columns {@link SparkTrainer}
 * selects) become a float32 tensor {@code [rows, inputShape...]} and an int32 or float32 label tensor {@code [rows]}.
 * A null, a feature vector of the wrong length or a label that is not a number fails with the row's number.
 */
record PartitionData(Tensor features, Tensor labels) {
    /** The rows read; the iterator is consumed. */
    static PartitionData read(Iterator<Row> rows, TrainingPlan plan) {
        int width = -1;
        float[] xs = new float[1024];
        float[] floatLabels = plan.intLabels() ? null : new float[256];
        int[] intLabels = plan.intLabels() ? new int[256] : null;
        int n = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            String where = "row " + n + " of this partition";
            if (row.isNullAt(0)) throw new IllegalArgumentException(where + ": column " + plan.featuresCol() + " is null");
            if (row.isNullAt(1)) throw new IllegalArgumentException(where + ": column " + plan.labelCol() + " is null");
            List<Object> values = row.getList(0);
            if (width < 0) width = checkWidth(values.size(), plan);
            if (values.size() != width) {
                throw new IllegalArgumentException(where + ": column " + plan.featuresCol() + " holds " + values.size()
                        + " values, earlier rows " + width);
            }
            if ((long) (n + 1) * width > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a partition holds more than 2^31 feature values; use more "
                        + "partitions (workers)");
            }
            if ((n + 1) * width > xs.length) xs = Arrays.copyOf(xs, Math.max((n + 1) * width, xs.length * 2));
            for (int j = 0; j < width; j++) {
                Object v = values.get(j);
                if (!(v instanceof Number num)) {
                    throw new IllegalArgumentException(where + ": " + plan.featuresCol() + "[" + j + "] is " + v
                            + ", expected a number");
                }
                xs[n * width + j] = num.floatValue();
            }
            Number label = (Number) row.get(1);
            if (intLabels != null) {
                if (n == intLabels.length) intLabels = Arrays.copyOf(intLabels, n * 2);
                intLabels[n] = Math.toIntExact(label.longValue());
            } else {
                if (n == floatLabels.length) floatLabels = Arrays.copyOf(floatLabels, n * 2);
                floatLabels[n] = label.floatValue();
            }
            n++;
        }
        int[] shape = plan.inputShape() != null ? plan.inputShape() : new int[] {Math.max(width, 0)};
        int[] dims = new int[shape.length + 1];
        dims[0] = n;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(dims), Arrays.copyOf(xs, n * Math.max(width, 0)));
        Tensor y = intLabels != null ? Tensor.wrap(DType.INT32, Shape.of(n), Arrays.copyOf(intLabels, n))
                : Tensor.wrap(DType.FLOAT32, Shape.of(n), Arrays.copyOf(floatLabels, n));
        return new PartitionData(x, y);
    }

    /** The number of examples. */
    int rows() { return labels.shape().dim(0); }

    private static int checkWidth(int width, TrainingPlan plan) {
        int[] shape = plan.inputShape();
        if (shape == null) return width;
        long want = 1;
        for (int d : shape) want *= d;
        if (want != width) {
            throw new IllegalArgumentException("column " + plan.featuresCol() + " holds " + width + " values per row, "
                    + "but the input shape " + Arrays.toString(shape) + " needs " + want);
        }
        return width;
    }
}
