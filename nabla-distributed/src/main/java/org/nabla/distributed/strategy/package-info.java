/**
 * Training strategies, like tf.distribute: how a model's variables and steps are spread over the tasks of a cluster.
 * {@link org.nabla.distributed.strategy.MultiWorkerMirroredStrategy} keeps a replica on every worker and all-reduces
 * the gradients; {@link org.nabla.distributed.strategy.ParameterServerStrategy} keeps the variables on the ps tasks
 * ({@link org.nabla.distributed.strategy.VariablePlacement}) and applies the replicas' gradients there;
 * {@link org.nabla.distributed.strategy.DataParallelBenchmark} measures how it scales over worker
 * processes.
 */
package org.nabla.distributed.strategy;
