/**
 * A model server speaking TensorFlow Serving's REST API ({@code /v1/models/NAME}, {@code :predict}) and gRPC API
 * ({@code tensorflow.serving.PredictionService}, {@code ModelService}) for Nabla saved models and ONNX files:
 * {@link org.nabla.serving.ModelServer} on Jetty and grpc-java, the JSON and TensorProto request and response
 * formats, one request path for both ({@code ModelRegistry}: versions by number or label, request batching), health
 * and Prometheus metrics. The gRPC messages, generated from this module's .proto files, are in
 * {@code org.nabla.serving.tfproto}.
 */
package org.nabla.serving;
