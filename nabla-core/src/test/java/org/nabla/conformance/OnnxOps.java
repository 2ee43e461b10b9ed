package org.nabla.conformance;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.nabla.Ops;
import org.nabla.Tensor;

/** Maps an ONNX operator (with its attributes) onto Nabla ops for the conformance run. */
final class OnnxOps {
    /** The case uses an operator, attribute or dtype Nabla does not cover; the message says which. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String reason) { super(reason); }
    }

    private OnnxOps() {}

    private static final Map<String, BiFunction<OnnxCase, List<Tensor>, List<Tensor>>> OPS = Map.ofEntries(
            Map.entry("Add", (c, in) -> List.of(Ops.add(in.get(0), in.get(1)))),
            Map.entry("Transpose", (c, in) -> List.of(Ops.transpose(in.get(0), c.attrInts("perm", new int[0])))));

    static List<Tensor> run(OnnxCase c, List<Tensor> inputs) {
        if (!c.domain.isEmpty() && !c.domain.equals("ai.onnx")) throw new Unsupported("domain " + c.domain);
        var op = OPS.get(c.opType);
        if (op == null) throw new Unsupported("operator " + c.opType + " is not mapped to a Nabla op");
        return op.apply(c, inputs);
    }
}
