package org.nabla.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Graphviz (DOT) text for a graph: one box per node labelled with its op and name (and requested device), one edge
 * per data input labelled with the tensor's dtype and shape, dashed edges for control dependencies, and one nested
 * cluster per name scope. Every id and label is quoted and escaped, so any node name is safe. Render with
 * {@code dot -Tsvg graph.dot > graph.svg}.
 */
public final class GraphDot {
    private GraphDot() {}

    /** The DOT text of {@code graph}. */
    public static String toDot(Graph graph) {
        List<Node> nodes = graph.nodes();
        Scope root = new Scope("");
        for (Node n : nodes) {
            String[] parts = n.name().split("/");
            Scope s = root;
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                if (i > 0) path.append('/');
                path.append(parts[i]);
                String p = path.toString();
                s = s.children.computeIfAbsent(parts[i], k -> new Scope(p));
            }
            s.nodes.add(n);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("digraph \"graph\" {\n");
        sb.append("  node [shape=box, fontname=\"Helvetica\"];\n");
        sb.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        writeScope(sb, root, "  ");
        for (Node n : nodes) {
            for (Output in : n.inputs()) {
                String label = in.node().numOutputs() > 1 ? ":" + in.index() + " " + in.spec() : in.spec().toString();
                sb.append("  ").append(quote(in.node().name())).append(" -> ").append(quote(n.name()))
                        .append(" [label=").append(quote(label)).append("];\n");
            }
            for (Node c : n.controlInputs()) {
                sb.append("  ").append(quote(c.name())).append(" -> ").append(quote(n.name()))
                        .append(" [style=dashed];\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static void writeScope(StringBuilder sb, Scope scope, String indent) {
        for (Scope child : scope.children.values()) {
            sb.append(indent).append("subgraph ").append(quote("cluster_" + child.path)).append(" {\n");
            sb.append(indent).append("  label=").append(quote(child.path.substring(child.path.lastIndexOf('/') + 1)))
                    .append(";\n");
            writeScope(sb, child, indent + "  ");
            sb.append(indent).append("}\n");
        }
        for (Node n : scope.nodes) {
            String label = escape(n.op().name()) + "\\n" + escape(n.name())
                    + (n.device().isEmpty() ? "" : "\\n" + escape(n.device()));
            String shape = switch (n.op().name()) {
                case "Placeholder" -> ", shape=ellipse";
                case "Const" -> ", shape=box, style=rounded";
                default -> "";
            };
            sb.append(indent).append(quote(n.name())).append(" [label=\"").append(label).append('"').append(shape)
                    .append("];\n");
        }
    }

    /** A DOT quoted string: backslashes, quotes and line breaks escaped. */
    static String quote(String s) { return "\"" + escape(s) + "\""; }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> { }
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A name scope: its nodes and its sub-scopes, sorted by name for a stable output. */
    private static final class Scope {
        final String path;
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Scope> children = new TreeMap<>();

        Scope(String path) { this.path = path; }
    }
}
