package org.nabla.distributed.collective;

import org.nabla.distributed.DistributedOptions;

/** {@link CollectiveGroupTest}'s cases with the chunks as gRPC SendChunk messages (the fallback data path). */
class CollectiveGroupGrpcTest extends CollectiveGroupTest {
    @Override
    DistributedOptions options() { return super.options().ringSockets(false); }

    @Override
    String sendCall() { return "(SendChunk)"; }
}
