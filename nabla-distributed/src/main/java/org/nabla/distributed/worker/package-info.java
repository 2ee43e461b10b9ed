/**
 * The worker service: registered graph parts run per step with the task's own kernels
 * ({@link org.nabla.distributed.worker.Worker}); tensors crossing tasks are pulled by the receiver
 * ({@link org.nabla.distributed.worker.RemoteRendezvous}, {@link org.nabla.distributed.worker.TensorPull}) from the
 * producer's per-step table ({@link org.nabla.distributed.worker.StepTensors}). The functions a part calls (control
 * flow) may place nodes on other tasks: {@link org.nabla.distributed.worker.PeerTasks} registers their shares there
 * and runs them per call. Internal to nabla-distributed.
 */
package org.nabla.distributed.worker;
