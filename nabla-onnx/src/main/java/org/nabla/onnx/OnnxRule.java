package org.nabla.onnx;

import java.util.List;
import org.nabla.Tensor;

/**
 * How one ONNX operator is expressed with Nabla ops: given a node, returns its outputs in order (at least as many as
 * the node names). Rules call {@code org.nabla.Ops}, so the same rule builds graph nodes while importing into a graph
 * and computes values when the inputs are known (constant folding).
 */
@FunctionalInterface
public interface OnnxRule {
    List<Tensor> apply(OnnxNode node);
}
