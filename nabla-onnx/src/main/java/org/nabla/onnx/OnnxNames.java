package org.nabla.onnx;

/** Nabla node names for ONNX value names (which may hold ':' or '/', which Nabla names reserve). */
final class OnnxNames {
    private OnnxNames() {}

    static String nodeName(String onnxName) {
        String s = onnxName.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        return s.isEmpty() ? "value" : s;
    }
}
