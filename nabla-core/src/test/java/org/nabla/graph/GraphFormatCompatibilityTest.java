package org.nabla.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.io.GoldenFiles;

/**
 * Graph files written by an earlier build still load, and the same graph is still written byte for byte as then
 * (format version 1): the dtype codes, tensor data, attribute tags and layout have not drifted.
 */
class GraphFormatCompatibilityTest {
    private static final String DTYPES = "every-dtype-v1.nabla";
    private static final String SAMPLE = "sample-v1.nabla";

    /** A placeholder, a constant and a Cast for every dtype: each dtype code in each place a graph file holds one. */
    static Graph everyDTypeGraph() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 2));
            for (Map.Entry<String, Tensor> e : GoldenFiles.everyDType().entrySet()) {
                DType d = e.getValue().dtype();
                g.placeholder("in_" + e.getKey(), d, Shape.of(-1));
                g.constant("const_" + e.getKey(), e.getValue());
                try (Graph.ControlScope ns = g.nameScope("to_" + e.getKey())) {
                    Ops.cast(x, d);
                }
            }
        }
        return g;
    }

    @Test
    void everyDTypeGraphIsWrittenAsBefore() {
        GoldenFiles.assertSameBytes(getClass(), DTYPES, GraphIO.toBytes(everyDTypeGraph()));
    }

    @Test
    void everyDTypeGraphOfAnEarlierBuildLoads() throws IOException {
        if (GoldenFiles.writing()) return;
        Graph g = GraphIO.fromBytes(GoldenFiles.read(getClass(), DTYPES));
        GraphIOTest.assertSameGraph(everyDTypeGraph(), g);
        for (Map.Entry<String, Tensor> e : GoldenFiles.everyDType().entrySet()) {
            Tensor c = (Tensor) g.node("const_" + e.getKey()).attrs().get("value");
            assertEquals(e.getValue().spec(), c.spec(), e.getKey());
            assertArrayEquals(GraphIOTest.bits(e.getValue()), GraphIOTest.bits(c), e.getKey());
            assertEquals(e.getValue().dtype(), g.node("in_" + e.getKey()).outputSpec(0).dtype(), e.getKey());
        }
    }

    @Test
    void sampleGraphIsWrittenAsBeforeAndLoads() throws IOException {
        Graph sample = GraphIOTest.sampleGraph();
        GoldenFiles.assertSameBytes(getClass(), SAMPLE, GraphIO.toBytes(sample));
        if (GoldenFiles.writing()) return;
        GraphIOTest.assertSameGraph(sample, GraphIO.fromBytes(GoldenFiles.read(getClass(), SAMPLE)));
    }
}
