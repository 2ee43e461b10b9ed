/**
 * A model server speaking TensorFlow Serving's REST API ({@code /v1/models/NAME}, {@code :predict}) for Nabla saved
 * models and ONNX files: {@link org.nabla.serving.ModelServer} on Jetty, the JSON request and response formats,
 * request batching, health and Prometheus metrics.
 */
package org.nabla.serving;
