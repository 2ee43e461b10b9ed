package org.nabla.runtime.optimize;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.graph.Node;
import org.nabla.graph.Output;

/**
 * Who reads what in a graph, for fusion passes: how many data inputs take each output, and which nodes are someone's
 * control input (a fusion must not absorb those: the edge would lose its node).
 */
record Uses(Map<Output, Integer> outputs, Set<Node> controlUsed) {
    static Uses of(List<Node> nodes) {
        Map<Output, Integer> outputs = new HashMap<>();
        Set<Node> controlUsed = new HashSet<>();
        for (Node n : nodes) {
            for (Output o : n.inputs()) outputs.merge(o, 1, Integer::sum);
            controlUsed.addAll(n.controlInputs());
        }
        return new Uses(outputs, controlUsed);
    }
}
