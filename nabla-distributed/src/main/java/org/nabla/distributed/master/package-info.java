/**
 * The master: it keeps a client's graph, prunes it for the fetches, places and partitions it by task and registers
 * each part with that task's worker, then drives every step ({@link org.nabla.distributed.master.Master},
 * {@link org.nabla.distributed.master.MasterSession}; {@link org.nabla.distributed.master.FunctionTasks} finds the tasks
 * a step reaches only through control flow). {@link org.nabla.distributed.master.MasterCalls} is what a
 * {@code DistributedSession} talks to: the master in its own process or a {@link
 * org.nabla.distributed.master.RemoteMaster} over gRPC. Internal to nabla-distributed.
 */
package org.nabla.distributed.master;
