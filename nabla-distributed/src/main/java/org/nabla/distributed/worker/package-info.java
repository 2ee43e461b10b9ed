/**
 * The worker service: registered graph parts run per step with the task's own kernels
 * ({@link org.nabla.distributed.worker.Worker}); tensors crossing tasks are pulled by the receiver
 * ({@link org.nabla.distributed.worker.RemoteRendezvous}, {@link org.nabla.distributed.worker.TensorPull}) from the
 * producer's per-step table ({@link org.nabla.distributed.worker.StepTensors}). Internal to nabla-distributed.
 */
package org.nabla.distributed.worker;
