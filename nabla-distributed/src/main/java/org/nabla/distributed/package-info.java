/**
 * The distributed runtime: a graph runs across the processes (tasks) of a cluster, TensorFlow's way. A
 * {@link org.nabla.distributed.DistributedSession} talks to a master, which prunes the graph, places it over the
 * devices of every task, splits it by task and registers each part with that task's worker; workers run their parts
 * per step and pull the tensors they receive from the workers producing them (RecvTensor over gRPC, tensors in the
 * {@link org.nabla.distributed.TensorWire} encoding). The cluster comes from TensorFlow's TF_CONFIG
 * ({@link org.nabla.distributed.TfConfig}); {@link org.nabla.distributed.Server} is one task. Collectives: a task's
 * {@link org.nabla.distributed.CollectiveGroup} ring-all-reduces tensors with the other tasks of its job (chunks pushed
 * as raw frames over TCP connections between ring neighbours, {@link org.nabla.distributed.RingSockets}, with the
 * CollectiveService as the control plane, or over the CollectiveService itself), and {@link org.nabla.distributed.MultiWorkerMirroredStrategy} builds synchronous
 * data-parallel training on it. The only package of Nabla
 * that uses gRPC. See docs/distributed.md.
 */
package org.nabla.distributed;
