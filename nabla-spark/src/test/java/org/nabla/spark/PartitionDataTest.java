package org.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import scala.jdk.javaapi.CollectionConverters;

/** A partition's rows become tensors; bad cells fail with the row and column named. */
class PartitionDataTest {
    private static TrainingPlan plan(boolean intLabels, int... inputShape) {
        return new TrainingPlan(TinyData::model, "f", "y", intLabels, inputShape.length == 0 ? null : inputShape, 1, 2,
                0, false, null, 1, Duration.ofSeconds(1), List.of());
    }

    @Test
    void readsJavaArraysScalaSeqsAndListsAsFloatFeatures() {
        List<Row> rows = List.of(
                RowFactory.create(new float[] {1, 2, 3, 4}, 0),
                RowFactory.create(CollectionConverters.asScala(List.of(5.0, 6.0, 7.0, 8.0)).toSeq(), 1),
                RowFactory.create(List.of(9, 10, 11, 12), 2),
                RowFactory.create(new double[] {13, 14, 15, 16}, 3));
        PartitionData d = PartitionData.read(rows.iterator(), plan(true, 2, 2));
        assertEquals(4, d.rows());
        assertEquals(Shape.of(4, 2, 2), d.features().shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                d.features().toFloatArray());
        assertEquals(DType.INT32, d.labels().dtype());
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.labels().toIntArray());
    }

    @Test
    void floatLabelsStayFloats() {
        PartitionData d = PartitionData.read(List.of(RowFactory.create(new float[] {1}, 0.5)).iterator(), plan(false));
        assertEquals(DType.FLOAT32, d.labels().dtype());
        assertArrayEquals(new float[] {0.5f}, d.labels().toFloatArray());
    }

    private static String failure(TrainingPlan plan, Row... rows) {
        return assertThrows(IllegalArgumentException.class, () -> PartitionData.read(List.of(rows).iterator(), plan))
                .getMessage();
    }

    @Test
    void badCellsNameTheRowAndTheColumn() {
        String e = failure(plan(true), RowFactory.create(new float[] {1, 2}, 0), RowFactory.create(new float[] {1}, 1));
        assertTrue(e.contains("row 1 of this partition: column f holds 1 values, earlier rows 2"), e);
        e = failure(plan(true), RowFactory.create(null, 0));
        assertTrue(e.contains("row 0 of this partition: column f is null"), e);
        e = failure(plan(true), RowFactory.create(new float[] {1}, null));
        assertTrue(e.contains("column y is null"), e);
        e = failure(plan(true), RowFactory.create(List.of(1, "x"), 0));
        assertTrue(e.contains("f[1] is x, expected a number"), e);
        e = failure(plan(true), RowFactory.create("text", 0));
        assertTrue(e.contains("holds a java.lang.String, expected an array of numbers"), e);
        e = failure(plan(true, 28, 28, 1), RowFactory.create(new float[] {1, 2, 3}, 0));
        assertTrue(e.contains("column f holds 3 values per row, but the input shape [28, 28, 1] needs 784"), e);
    }
}
