/**
 * The distributed runtime: a graph runs across the processes (tasks) of a cluster, TensorFlow's way. A
 * {@link org.nabla.distributed.DistributedSession} talks to a master, which prunes the graph, places it over the
 * devices of every task, splits it by task and registers each part with that task's worker; workers run their parts
 * per step and pull the tensors they receive from the workers producing them. The cluster comes from TensorFlow's
 * TF_CONFIG ({@link org.nabla.distributed.TfConfig}); {@link org.nabla.distributed.Server} is one task.
 *
 * <p>This package is the user's API (sessions, servers, options and {@link org.nabla.distributed.Security}, the
 * cluster). Below it: {@code master} (pruning,
 * partitioning, driving steps), {@code worker} (running graph parts, receiving tensors), {@code rpc} (channels, call
 * helpers, the tensor encoding), {@code collective} (ring all-reduce), {@code ps} (the parameter servers' service and client),
 * {@code strategy} (training strategies: {@code MultiWorkerMirroredStrategy}, {@code ParameterServerStrategy}). The only module of Nabla that uses gRPC. See docs/distributed.md.
 */
package org.nabla.distributed;
