/**
 * Dataflow graphs: {@link org.nabla.graph.Graph} of {@link org.nabla.graph.Node}s joined by
 * {@link org.nabla.graph.Output} edges, built by running ordinary op calls inside {@code graph.asDefault()};
 * {@link org.nabla.graph.GraphIO} saves and loads them, {@link org.nabla.graph.GraphDot} draws them.
 */
package org.nabla.graph;
