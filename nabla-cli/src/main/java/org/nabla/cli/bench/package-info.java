/**
 * {@code nabla bench}: Java micro-benchmarks of the CPU kernels and eager dispatch ({@link
 * org.nabla.cli.bench.Benchmarks}), reference timings from NumPy/PyTorch ({@link org.nabla.cli.bench.Reference}) and
 * the report ({@link org.nabla.cli.bench.BenchReport}).
 */
package org.nabla.cli.bench;
