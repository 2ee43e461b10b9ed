/**
 * What every service of the runtime shares on the wire: the channel cache ({@link org.nabla.distributed.rpc.Channels}),
 * the call/serve helpers that turn gRPC statuses into Nabla exceptions and back ({@link org.nabla.distributed.rpc.Rpc}),
 * and the compact tensor encoding ({@link org.nabla.distributed.rpc.TensorWire}). Internal to nabla-distributed.
 */
package org.nabla.distributed.rpc;
