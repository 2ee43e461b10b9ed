/**
 * ONNX import and export: reads ONNX models into Nabla graphs (each ONNX operator mapped onto Nabla ops by a rule),
 * writes Nabla graphs and saved models as ONNX, and runs ONNX's conformance cases. The protobuf messages are generated
 * from {@code src/main/proto/onnx.proto}, written for Nabla from the ONNX specification.
 */
package org.nabla.onnx;
