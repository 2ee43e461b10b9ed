package org.nabla.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import scala.jdk.javaapi.CollectionConverters;

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
            Object values = row.get(0);
            int size = length(values, where, plan);
            if (width < 0) width = checkWidth(size, plan);
            if (size != width) {
                throw new IllegalArgumentException(where + ": column " + plan.featuresCol() + " holds " + size
                        + " values, earlier rows " + width);
            }
            if ((long) (n + 1) * width > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a partition holds more than 2^31 feature values; use more "
                        + "partitions (workers)");
            }
            if ((n + 1) * width > xs.length) xs = Arrays.copyOf(xs, Math.max((n + 1) * width, xs.length * 2));
            copy(values, xs, n * width, where, plan);
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

    /**
     * The number of values of a features cell: Spark hands an array column over as a Scala {@code Seq}, or, when the
     * optimizer drops a serialize/deserialize pair, as the Java array or list the application put in its rows.
     */
    private static int length(Object v, String where, TrainingPlan plan) {
        return switch (v) {
            case float[] a -> a.length;
            case double[] a -> a.length;
            case int[] a -> a.length;
            case long[] a -> a.length;
            case short[] a -> a.length;
            case byte[] a -> a.length;
            case scala.collection.Seq<?> seq -> seq.size();
            case List<?> list -> list.size();
            default -> throw new IllegalArgumentException(where + ": column " + plan.featuresCol() + " holds a "
                    + v.getClass().getName() + ", expected an array of numbers");
        };
    }

    /** Writes the values of a features cell to {@code out} from {@code at}, as floats. */
    private static void copy(Object v, float[] out, int at, String where, TrainingPlan plan) {
        switch (v) {
            case float[] a -> System.arraycopy(a, 0, out, at, a.length);
            case double[] a -> { for (int j = 0; j < a.length; j++) out[at + j] = (float) a[j]; }
            case int[] a -> { for (int j = 0; j < a.length; j++) out[at + j] = a[j]; }
            case long[] a -> { for (int j = 0; j < a.length; j++) out[at + j] = a[j]; }
            case short[] a -> { for (int j = 0; j < a.length; j++) out[at + j] = a[j]; }
            case byte[] a -> { for (int j = 0; j < a.length; j++) out[at + j] = a[j]; }
            case scala.collection.Seq<?> seq -> copyBoxed(CollectionConverters.asJava(seq), out, at, where, plan);
            case List<?> list -> copyBoxed(list, out, at, where, plan);
            default -> throw new IllegalStateException("unreachable: " + v.getClass());
        }
    }

    private static void copyBoxed(List<?> values, float[] out, int at, String where, TrainingPlan plan) {
        int j = 0;
        for (Object o : values) {
            if (!(o instanceof Number num)) {
                throw new IllegalArgumentException(where + ": " + plan.featuresCol() + "[" + j + "] is " + o
                        + ", expected a number");
            }
            out[at + j++] = num.floatValue();
        }
    }

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
