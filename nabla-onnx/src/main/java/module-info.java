/** ONNX import into Nabla graphs and saved models, and export of saved models to ONNX. */
module org.nabla.onnx {
    requires transitive org.nabla.core;
    requires transitive org.nabla.nn;
    requires transitive com.google.protobuf;

    exports org.nabla.onnx;
    exports org.nabla.onnx.proto; // the ONNX messages (OnnxFiles.readModel returns one); protobuf reads them reflectively

    provides org.nabla.kernels.OpLibrary with org.nabla.onnx.OnnxLibrary;
}
