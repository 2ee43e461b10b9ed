package org.nabla.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.Model;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;

/**
 * A small fixed classification problem (60 examples of 4 features, 3 classes) and a small MLP without dropout, so
 * that two workers on Spark can be compared weight for weight with one process training on the global batches.
 */
final class TinyData {
    static final int EXAMPLES = 60;
    static final int FEATURES = 4;
    /** Uneven shards on 2 workers: 7 and 8 rows per step. */
    static final int GLOBAL_BATCH = 15;

    private static final float[] XS = new float[EXAMPLES * FEATURES];
    private static final int[] YS = new int[EXAMPLES];

    static {
        Random rnd = new Random(1);
        for (int i = 0; i < EXAMPLES; i++) {
            for (int j = 0; j < FEATURES; j++) XS[i * FEATURES + j] = (float) rnd.nextGaussian();
            YS[i] = (XS[i * 4] + XS[i * 4 + 1] > 0 ? 1 : 0) + (XS[i * 4 + 2] > 0.5 ? 1 : 0);
        }
    }

    private TinyData() {}

    /** The model factory of these tests: Dense(16, relu) -> Dense(3), SGD with momentum, seed 7. */
    static Model model() {
        Sequential m = new Sequential(new Dense(16, "relu"), new Dense(3));
        m.seed(7);
        m.input(FEATURES);
        m.compile(new SGD(0.1, 0.9, false), Losses.sparseCategoricalCrossentropy(true), "accuracy");
        return m;
    }

    static Tensor x() { return Tensors.of(XS, EXAMPLES, FEATURES); }

    static Tensor y() { return Tensors.of(YS, EXAMPLES); }

    /**
     * The examples in two partitions laid out so that, without shuffling, step k of the two workers together trains
     * on rows [15k, 15k + 15) in order: partition 0 holds the first 7 rows of every global batch, partition 1 the
     * other 8, which is how the strategy splits a global batch of 15.
     */
    static Dataset<Row> twoPartitions(SparkSession spark) {
        List<List<Row>> parts = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < EXAMPLES; i++) {
            float[] f = new float[FEATURES];
            System.arraycopy(XS, i * FEATURES, f, 0, FEATURES);
            parts.get(i % GLOBAL_BATCH < GLOBAL_BATCH / 2 ? 0 : 1).add(RowFactory.create(f, YS[i]));
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(parts, 2)
                .flatMap(List::iterator);
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, false);
        return spark.createDataFrame(rows, schema);
    }
}
