package org.nabla.spark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nabla.Tensor;
import org.nabla.nn.Model;
import org.nabla.nn.saving.Checkpoint;
import scala.reflect.ClassTag$;

/**
 * Trains a Nabla model over a Spark DataFrame with synchronous data parallelism, in barrier execution mode: one
 * barrier task per worker, each a task of a nabla cluster whose gradients are ring all-reduced every step, as
 * {@code MultiWorkerMirroredStrategy} does across processes. With a checkpoint folder, a failed task (a lost
 * executor) fails the barrier stage, Spark retries it, and the retry resumes from the chief's last epoch checkpoint.
 *
 * <pre>{@code
 * SparkTrainingResult r = SparkTrainer.of(() -> ReferenceModels.mlp(42))
 *         .columns("features", "label").inputShape(28, 28, 1)
 *         .epochs(5).batchSize(32).checkpointDir("/shared/ckpt")
 *         .fit(df);
 * r.model().evaluate(xTest, yTest);
 * }</pre>
 *
 * The DataFrame holds one example per row: features as an array of numbers (flattened; {@code inputShape} gives the
 * model's example shape) and a label, integral for class indices (int32 targets) or float/double (float32 targets).
 * Settings are changed in place and returned (like {@code FitOptions}); not thread-safe.
 */
public final class SparkTrainer {
    private final ModelFactory model;
    private String featuresCol = "features";
    private String labelCol = "label";
    private int[] inputShape;
    private int epochs = 1;
    private int batchSize = 32;
    private long seed;
    private boolean shuffle = true;
    private String checkpointDir;
    private int keepCheckpoints = 2;
    private Duration stepTimeout = Duration.ofMinutes(10);
    private Integer workers;
    private final List<CallbackFactory> callbacks = new ArrayList<>();

    private SparkTrainer(ModelFactory model) { this.model = model; }

    /** A trainer of the models {@code model} builds (compiled; every call the same architecture). */
    public static SparkTrainer of(ModelFactory model) {
        if (model == null) throw new IllegalArgumentException("SparkTrainer: the model factory is null");
        return new SparkTrainer(model);
    }

    /** The features and label columns (default "features" and "label"). */
    public SparkTrainer columns(String features, String label) {
        if (features == null || label == null) throw new IllegalArgumentException("SparkTrainer: a column name is null");
        featuresCol = features;
        labelCol = label;
        return this;
    }

    /** One example's shape, e.g. 28, 28, 1 (default: the flat feature vector). */
    public SparkTrainer inputShape(int... shape) {
        if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("SparkTrainer: input shape must be positive dimensions, got "
                    + Arrays.toString(shape));
        }
        inputShape = shape.clone();
        return this;
    }

    /** Epochs to train in all (default 1). */
    public SparkTrainer epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkTrainer: epochs must be >= 1, got " + n);
        epochs = n;
        return this;
    }

    /** The global batch: examples per step over all workers, each taking its share (default 32). */
    public SparkTrainer batchSize(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkTrainer: batch size must be >= 1, got " + n);
        batchSize = n;
        return this;
    }

    /** The seed of the per-epoch shuffles (default 0). */
    public SparkTrainer seed(long s) { seed = s; return this; }

    /** Whether each worker shuffles its rows every epoch (default true). */
    public SparkTrainer shuffle(boolean on) { shuffle = on; return this; }

    /**
     * Where the chief writes a checkpoint after each epoch and where every retry resumes from: a folder every executor
     * reaches under the same path (a shared file system). Default none: a failed stage starts training over.
     */
    public SparkTrainer checkpointDir(String dir) {
        if (dir == null || dir.isBlank()) throw new IllegalArgumentException("SparkTrainer: checkpoint folder is empty");
        checkpointDir = dir;
        return this;
    }

    public SparkTrainer checkpointDir(Path dir) { return checkpointDir(dir.toAbsolutePath().toString()); }

    /**
     * How many epoch checkpoints to keep (default 2, the least: a retry restores the newest while the chief of the
     * failed attempt may still be writing the next one, which must not prune it).
     */
    public SparkTrainer keepCheckpoints(int n) {
        if (n < 2) throw new IllegalArgumentException("SparkTrainer: keepCheckpoints must be >= 2, got " + n);
        keepCheckpoints = n;
        return this;
    }

    /** The longest one step may take, waiting on a peer included (default 10 minutes). */
    public SparkTrainer stepTimeout(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("SparkTrainer: step timeout must be positive, got " + d);
        }
        stepTimeout = d;
        return this;
    }

    /**
     * The number of workers (barrier tasks); the DataFrame is repartitioned to it when it has another number of
     * partitions. Default: the DataFrame's partitions. The cluster needs that many free task slots at once.
     */
    public SparkTrainer workers(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkTrainer: workers must be >= 1, got " + n);
        workers = n;
        return this;
    }

    /** Callbacks made in every task for its {@code fit} (after the trainer's own checkpointing). */
    public SparkTrainer callbacks(CallbackFactory... factories) {
        for (CallbackFactory f : factories) {
            if (f == null) throw new IllegalArgumentException("SparkTrainer: a callback factory is null");
            callbacks.add(f);
        }
        return this;
    }

    /** Trains over {@code df} and returns the chief's model; a stage that fails past Spark's retries throws. */
    public SparkTrainingResult fit(Dataset<Row> df) {
        if (df == null) throw new IllegalArgumentException("SparkTrainer.fit: the DataFrame is null");
        checkFeatures(field(df.schema(), featuresCol));
        boolean intLabels = checkLabel(field(df.schema(), labelCol));
        TrainingPlan plan = new TrainingPlan(model, featuresCol, labelCol, intLabels, inputShape, epochs, batchSize,
                seed, shuffle, checkpointDir, keepCheckpoints, stepTimeout, callbacks);
        Dataset<Row> selected = df.select(featuresCol, labelCol);
        RDD<Row> rows = selected.rdd();
        int n = workers != null ? workers : rows.getNumPartitions();
        if (rows.getNumPartitions() != n) rows = selected.repartition(n).rdd();
        if (batchSize < n) {
            throw new IllegalArgumentException("SparkTrainer: the batch size (" + batchSize + ") is smaller than the "
                    + "number of workers (" + n + "); each worker needs at least one example per step");
        }
        // The barrier stage must be a shuffle map stage: Spark retries a failed barrier stage only then (a failed
        // barrier result stage aborts the job), so the task results go through a one-partition shuffle.
        RDD<byte[]> results = rows.barrier()
                .mapPartitions(new BarrierTrainingTask(plan), false, ClassTag$.MODULE$.apply(byte[].class));
        List<TaskResult> all = new ArrayList<>();
        for (byte[] b : results.toJavaRDD().repartition(1).collect()) all.add(TaskResult.fromBytes(b));
        all.sort(Comparator.comparingInt(TaskResult::replica));
        TaskResult chief = all.getFirst();
        return new SparkTrainingResult(load(chief), chief.epochs(), chief.initialEpoch(), chief.stageAttempt());
    }

    /** The factory's model holding the chief's weights. */
    private Model load(TaskResult chief) {
        Model m = model.get();
        if (!m.isBuilt()) m.build(chief.exampleShape());
        Map<String, Tensor> values;
        try {
            values = Checkpoint.fromBytes(chief.weights(), "the chief's weights");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the chief's weights did not arrive intact: " + e.getMessage(), e);
        }
        m.setWeights(new ArrayList<>(values.values()));
        return m;
    }

    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
        throw new IllegalArgumentException("SparkTrainer: the DataFrame has no column '" + name + "'; its columns: "
                + String.join(", ", schema.fieldNames()));
    }

    private static void checkFeatures(StructField f) {
        DataType t = f.dataType();
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType) return;
        String hint = t.typeName().equals("vector")
                ? " (a Spark ML vector: convert it with org.apache.spark.ml.functions.vector_to_array)" : "";
        throw new IllegalArgumentException("SparkTrainer: features column '" + f.name() + "' is " + t.simpleString()
                + hint + "; expected an array of numbers such as array<float>");
    }

    /** Whether the label column is integral (class indices); fails unless it is a number. */
    private static boolean checkLabel(StructField f) {
        DataType t = f.dataType();
        if (t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType) {
            return true;
        }
        if (t instanceof FloatType || t instanceof DoubleType) return false;
        throw new IllegalArgumentException("SparkTrainer: label column '" + f.name() + "' is " + t.simpleString()
                + "; expected an integer (class index) or a float/double");
    }
}
