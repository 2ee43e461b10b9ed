/**
 * Parameter servers: the ParameterService every task runs ({@link org.nabla.distributed.ps.ParameterService}), which
 * hosts the variables that parameter-server training places on the {@code ps} tasks and applies pushed gradients to
 * them, synchronously or as they arrive ({@link org.nabla.distributed.ps.HostedGroup}); and the client side of the
 * ps tasks of a cluster ({@link org.nabla.distributed.ps.ParameterServers}). The training loop's API is
 * {@code strategy.ParameterServerStrategy}.
 */
package org.nabla.distributed.ps;
