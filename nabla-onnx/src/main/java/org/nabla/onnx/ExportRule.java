package org.nabla.onnx;

import org.nabla.graph.Node;

/**
 * How one Nabla op is written as ONNX operators (opset {@value OnnxExporter#OPSET}): reads the node's inputs and
 * attributes and adds the ONNX nodes that compute its outputs through the {@link OnnxGraphWriter}. A rule defines
 * the outputs it can express; a later node reading an undefined output (a mask, an argmax) fails naming it.
 */
@FunctionalInterface
public interface ExportRule {
    void write(Node node, OnnxGraphWriter w);
}
