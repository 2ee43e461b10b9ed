package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * A Loop whose loop-carried values include sequences or optionals. A sequence's length is part of what the importer
 * knows (a Java list), and it changes from one iteration to the next, so such a loop cannot be one Nabla while-loop:
 * it is unrolled at import, which needs the trip count and every iteration's condition known then. Scan outputs are
 * stacked along a new first axis, as in the while-loop form.
 */
final class UnrolledLoop {
    /** Guards against a trip count that would unroll without end. */
    private static final long MAX_ITERATIONS = 100_000;

    private UnrolledLoop() {}

    static List<OnnxValue> apply(OnnxNode n) {
        Tensor trip = n.in(0) == null ? null : n.constant(0);
        long maxTrips = trip == null ? MAX_ITERATIONS : trip.toLongArray()[0];
        if (maxTrips > MAX_ITERATIONS) throw n.unsupported("trip count " + maxTrips + " is too large to unroll");
        boolean cond = n.in(1) == null || ControlFlowRules.scalarTrue(n.constant(1), n);
        List<OnnxValue> carried = new ArrayList<>();
        for (int i = 2; i < n.inputCount(); i++) carried.add(n.value(i));
        int nCarried = carried.size();
        List<List<Tensor>> scans = new ArrayList<>();
        int nScan = n.graphAttr("body").getOutputCount() - 1 - nCarried;
        for (int k = 0; k < nScan; k++) scans.add(new ArrayList<>());
        for (long i = 0; i < maxTrips && cond; i++) {
            List<OnnxValue> in = new ArrayList<>();
            in.add(OnnxValue.of(Tensors.scalar(i)));
            in.add(OnnxValue.of(Tensors.scalar(true)));
            in.addAll(carried);
            List<OnnxValue> out = n.subgraphValues("body", in);
            Tensor c = out.get(0).tensor(n.where() + " body condition");
            if (c.isSymbolic()) {
                throw n.unsupported("the loop carries sequences or optionals, so it is unrolled at import, but its "
                        + "condition is computed at run time");
            }
            cond = ControlFlowRules.scalarTrue(c, n);
            carried = new ArrayList<>(out.subList(1, 1 + nCarried));
            for (int k = 0; k < nScan; k++) scans.get(k).add(out.get(1 + nCarried + k).tensor(n.where() + " scan output"));
            if (trip == null && i == MAX_ITERATIONS - 1 && cond) {
                throw n.unsupported("the loop ran " + MAX_ITERATIONS + " iterations at import without stopping");
            }
        }
        List<OnnxValue> result = new ArrayList<>(carried);
        for (int k = 0; k < nScan; k++) {
            if (scans.get(k).isEmpty()) throw n.unsupported("scan output " + k + " of a loop that ran no iteration");
            result.add(OnnxValue.of(Ops.stack(0, scans.get(k).toArray(Tensor[]::new))));
        }
        return result;
    }
}
