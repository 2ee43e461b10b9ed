package org.nabla.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;

class GraphDotTest {
    @Test
    void nodesEdgesControlEdgesAndScopes() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
            Tensor y;
            try (Graph.ControlScope a = g.nameScope("outer"); Graph.ControlScope b = g.nameScope("inner")) {
                y = Ops.relu(x);
            }
            try (Graph.ControlScope c = g.withControlDependencies(List.of(y))) {
                Ops.neg(x);
            }
        }
        String dot = g.toDot();
        assertEquals(GraphDot.toDot(g), dot);
        assertTrue(dot.startsWith("digraph \"graph\" {\n") && dot.endsWith("}\n"), dot);
        assertTrue(dot.contains("\"x\" [label=\"Placeholder\\nx\", shape=ellipse];"), dot);
        assertTrue(dot.contains("\"x\" -> \"outer/inner/Relu\" [label=\"float32(None, 3)\"];"), dot);
        assertTrue(dot.contains("\"outer/inner/Relu\" -> \"Neg\" [style=dashed];"), dot);
        // Scopes nest as clusters, the node sits inside the innermost one.
        int outer = dot.indexOf("subgraph \"cluster_outer\" {");
        int inner = dot.indexOf("subgraph \"cluster_outer/inner\" {");
        int relu = dot.indexOf("\"outer/inner/Relu\" [label=\"Relu\\nouter/inner/Relu\"];");
        assertTrue(outer >= 0 && inner > outer && relu > inner, dot);
        assertTrue(dot.contains("label=\"inner\";"), dot);
        // Braces balance.
        assertEquals(dot.chars().filter(ch -> ch == '{').count(), dot.chars().filter(ch -> ch == '}').count());
    }

    @Test
    void idsAreQuotedAndEscaped() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor a = g.constant("say \"hi\"\\\n", 1f);
            try (Graph.ControlScope d = g.device("/device:CPU:1")) {
                Ops.reshape(a, 1);
            }
            Tensor[] parts = Ops.split(g.constant("v", new float[] {1, 2}), 2, 0);
            Ops.add(parts[0], parts[1]);
        }
        String dot = g.toDot();
        assertTrue(dot.contains("\"say \\\"hi\\\"\\\\\\n\" [label=\"Const\\nsay \\\"hi\\\"\\\\\\n\", shape=box, "
                + "style=rounded];"), dot);
        String device = g.node("Reshape").device(); // as the device scope spelled it
        assertTrue(device.contains("CPU:1"), device);
        assertTrue(dot.contains("[label=\"Reshape\\nReshape\\n" + device + "\"]"), dot);
        // A multi-output node's edges say which output they carry.
        assertTrue(dot.contains("\"Split\" -> \"Add\" [label=\":1 float32(1,)\"];"), dot);
        assertTrue(dot.contains("\"say \\\"hi\\\"\\\\\\n\" -> \"Reshape\" [label=\"float32()\"];"), dot);
        for (String line : dot.split("\n")) {
            assertEquals(0, line.chars().filter(ch -> ch == '"').count() % 2 - countEscapedQuotes(line) % 2, line);
        }
    }

    private static long countEscapedQuotes(String line) {
        long n = 0;
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == '"' && line.charAt(i - 1) == '\\') {
                int slashes = 0;
                for (int j = i - 1; j >= 0 && line.charAt(j) == '\\'; j--) slashes++;
                if (slashes % 2 == 1) n++;
            }
        }
        return n;
    }
}
