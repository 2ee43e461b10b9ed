/**
 * Jobs dispatched to every task of a cluster: a coordinator ({@link org.nabla.distributed.job.JobClient}) asks each
 * task's {@link org.nabla.distributed.job.JobHost} to run the same {@link org.nabla.distributed.job.JobRunner} kind
 * (nabla-cli registers "train") as one replica, prints the chief's progress and, with a restart budget, runs the job
 * again once a lost task is back. This is how {@code nabla train --cluster} drives generic {@code nabla server}
 * processes, as TensorFlow's cluster coordinator drives its servers.
 */
package org.nabla.distributed.job;
