/**
 * The profiler: a timeline of every kernel call, eager and in graphs ({@link org.nabla.profiler.Profiler},
 * {@link org.nabla.profiler.Profile}), written as Chrome trace-event JSON and summed up by op.
 */
package org.nabla.profiler;
