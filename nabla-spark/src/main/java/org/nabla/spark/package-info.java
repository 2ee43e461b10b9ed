/**
 * Data-parallel training of a Nabla model over a Spark DataFrame, in barrier execution mode (as XGBoost4J-Spark and
 * Horovod on Spark do it): {@link org.nabla.spark.SparkTrainer} runs one barrier task per worker; each task starts a
 * nabla-distributed {@code Server}, the cluster spec coming from the barrier context's task infos, trains its
 * partition's rows with a {@code MultiWorkerMirroredStrategy} (gradients ring all-reduced every step), and the chief
 * checkpoints every epoch, so Spark's retry of a failed barrier stage resumes from the last checkpoint.
 *
 * <p>Classes here run on two sides: {@code SparkTrainer} and {@code SparkTrainingResult} on the driver;
 * {@code BarrierTrainingTask}, {@code PartitionData}, {@code ReplicaBatches} and {@code EpochCheckpoints} in the
 * executors' tasks; {@code TrainingPlan}, {@code ModelFactory}, {@code CallbackFactory} and {@code TaskResult} travel
 * between them (Java serialization, Spark's closure format).
 */
package org.nabla.spark;
