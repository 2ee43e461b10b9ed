/**
 * What every service of the runtime shares on the wire: the channel cache ({@link org.nabla.distributed.rpc.Channels}),
 * the call/serve helpers that turn gRPC statuses into Nabla exceptions and back ({@link org.nabla.distributed.rpc.Rpc}),
 * the compact tensor encoding ({@link org.nabla.distributed.rpc.TensorWire}), and what {@link
 * org.nabla.distributed.Security} asks of every connection: TLS credentials ({@link
 * org.nabla.distributed.rpc.Credentials}) and the shared-token interceptors ({@link
 * org.nabla.distributed.rpc.TokenCheck}). Internal to nabla-distributed.
 */
package org.nabla.distributed.rpc;
