/**
 * Dataflow graphs: {@link org.nabla.graph.Graph} of {@link org.nabla.graph.Node}s joined by
 * {@link org.nabla.graph.Output} edges, built by running ordinary op calls inside {@code graph.asDefault()}.
 */
package org.nabla.graph;
