package org.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Bad DataFrames and settings fail on the driver, before any task starts, saying what was expected. */
class SparkTrainerInputTest {
    private static Dataset<Row> frame(String featuresType, String labelType) {
        StructType schema = StructType.fromDDL("features " + featuresType + ", label " + labelType);
        return LocalSpark.session().createDataFrame(List.<Row>of(), schema);
    }

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void columnsOfTheWrongTypeOrMissingAreNamed() {
        String e = failure(() -> SparkTrainer.of(TinyData::model).fit(frame("string", "int")));
        assertTrue(e.contains("features column 'features' is string; expected an array of numbers"), e);
        e = failure(() -> SparkTrainer.of(TinyData::model).fit(frame("array<float>", "string")));
        assertTrue(e.contains("label column 'label' is string; expected an integer (class index) or a float/double"), e);
        e = failure(() -> SparkTrainer.of(TinyData::model).columns("pixels", "label").fit(frame("array<float>", "int")));
        assertTrue(e.contains("no column 'pixels'; its columns: features, label"), e);
    }

    @Test
    void aBatchSmallerThanTheWorkersIsRefused() {
        Dataset<Row> df = LocalSpark.session().createDataFrame(List.of(RowFactory.create(new float[] {1f}, 0)),
                new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType))
                        .add("label", DataTypes.IntegerType));
        String e = failure(() -> SparkTrainer.of(TinyData::model).workers(2).batchSize(1).fit(df));
        assertTrue(e.contains("batch size (1) is smaller than the number of workers (2)"), e);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        SparkTrainer t = SparkTrainer.of(TinyData::model);
        assertTrue(failure(() -> t.epochs(0)).contains("epochs must be >= 1, got 0"));
        assertTrue(failure(() -> t.batchSize(-1)).contains("batch size must be >= 1, got -1"));
        assertTrue(failure(() -> t.inputShape(28, 0)).contains("input shape must be positive dimensions, got [28, 0]"));
        assertTrue(failure(() -> t.workers(0)).contains("workers must be >= 1, got 0"));
        assertTrue(failure(() -> t.keepCheckpoints(1)).contains("keepCheckpoints must be >= 2, got 1"));
        assertTrue(failure(() -> SparkTrainer.of(null)).contains("the model factory is null"));
    }
}
