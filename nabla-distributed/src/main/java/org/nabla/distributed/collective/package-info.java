/**
 * Collectives among the tasks of a job: {@link org.nabla.distributed.collective.CollectiveGroup} ring-all-reduces
 * tensors (reduce-scatter then all-gather, packed into buckets), with raw frames between ring neighbours over TCP
 * ({@link org.nabla.distributed.collective.RingSockets}) and the CollectiveService
 * ({@link org.nabla.distributed.collective.CollectiveMailbox}) as the control plane.
 * {@link org.nabla.distributed.collective.CollectiveOps} makes the all-reduce an op ({@code CollectiveAllReduce}) that
 * eager calls and traced graphs run alike, its group named through
 * {@link org.nabla.distributed.collective.CollectiveGroups}.
 * {@link org.nabla.distributed.collective.AllReduceBenchmark} measures it against a plain TCP copy.
 */
package org.nabla.distributed.collective;
