/**
 * {@code nabla bench}: Java micro-benchmarks of the CPU kernels and eager dispatch ({@link
 * org.nabla.cli.bench.Benchmarks}), reference timings from NumPy/PyTorch ({@link org.nabla.cli.bench.Reference}) and
 * the report ({@link org.nabla.cli.bench.BenchReport}). It is the one part of the cli that may reach into
 * {@code org.nabla.kernels} (ArchitectureTest): it measures the kernels themselves and reports their thread count.
 */
package org.nabla.cli.bench;
