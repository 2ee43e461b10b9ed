/**
 * Reading and writing tensors in files: NumPy's {@code .npy} format ({@link org.nabla.io.Npy}), the element bytes that
 * Nabla's graph files and checkpoints share ({@link org.nabla.io.TensorBytes}), JSON text ({@link org.nabla.io.Json})
 * and atomic file replacement ({@link org.nabla.io.AtomicFiles}). Readers treat every file as untrusted: headers are
 * parsed strictly, never evaluated, and checked against the file's real length before any buffer is sized from them;
 * writers replace files atomically.
 */
package org.nabla.io;
