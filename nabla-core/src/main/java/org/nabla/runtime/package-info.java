/**
 * Running graphs. {@link org.nabla.runtime.Session} prepares a {@link org.nabla.runtime.Plan} per (feeds, fetches,
 * targets): prune, check feeds, place ({@link org.nabla.runtime.Placer}), partition per device with Send/Recv pairs
 * ({@link org.nabla.runtime.Partitioner}, meeting in a {@link org.nabla.kernels.Rendezvous}), and one dataflow
 * {@link org.nabla.runtime.Executor} per partition. Variables' values live in a {@link
 * org.nabla.ResourceManager} (one per session, one for eager code); {@link org.nabla.runtime.Variables}
 * declares them in graphs. {@link org.nabla.runtime.FunctionRunner} prepares a function graph the same way once and
 * runs it per call (traced functions, eager calls). Inside a run, control-flow sub-graphs go through {@link
 * org.nabla.runtime.FunctionCalls} to the step's {@link org.nabla.runtime.FunctionRuntime}, which instantiates each as
 * a multi-device function (placed over the session's devices, and other tasks' through {@link
 * org.nabla.runtime.RemoteTasks}) and runs every call as a sub-step in a rendezvous frame of its own.
 * An executor recycles its kernels' result buffers by liveness (FrameBuffers counts the slots holding each, a
 * GraphBufferPool keeps the dead ones for the next allocation).
 * {@link org.nabla.runtime.SerialExecutor} is the minimal reference runner. {@link org.nabla.runtime.Runner} is the
 * {@code session.runner().feed(..).fetch(..).run()} builder of every session, local or distributed. The distributed runtime reuses the same
 * stages: {@link org.nabla.runtime.PrunedGraph} (prune and optimize), {@link
 * org.nabla.runtime.Partitioner#partitionByTask} (the master's split by task), and a public {@link
 * org.nabla.runtime.Plan} that a worker prepares for its partition and runs per step with the step id and rendezvous
 * the master's step gives it.
 */
package org.nabla.runtime;
