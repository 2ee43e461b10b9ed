/**
 * Pixels in and out, kept out of the library core: 28x28 grayscale PNG files read into tensors and tensors written as
 * PNG ({@link org.nabla.charts.ImageInput}), and a training history drawn as loss and metric curves ({@link
 * org.nabla.charts.TrainingCharts}). This is the only library package that touches {@code java.awt},
 * {@code javax.imageio} or XChart (ArchitectureTest in nabla-cli checks it), so nabla-core, nabla-data, nabla-nn and
 * nabla-onnx stay free of them. Everything here runs headless, and files are written atomically.
 */
package org.nabla.charts;
