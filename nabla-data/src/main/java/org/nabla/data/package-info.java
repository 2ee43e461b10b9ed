/**
 * The input pipeline: {@link org.nabla.data.Dataset} (sources, map/filter/shuffle/batch/repeat/take/skip/cache and
 * the background stages parallel map and prefetch), its closeable {@link org.nabla.data.DatasetIterator} and
 * {@link org.nabla.data.Batching}, which stacks elements into batches. File formats live in
 * {@code org.nabla.data.io}, the MNIST-family loaders in {@code org.nabla.data.datasets}.
 */
package org.nabla.data;
