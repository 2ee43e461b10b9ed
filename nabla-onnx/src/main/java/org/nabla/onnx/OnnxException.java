package org.nabla.onnx;

/**
 * A problem with an ONNX model: a malformed file, an inconsistent graph, or an operator, attribute or dtype Nabla
 * cannot import. The message names the file, node or value at fault.
 */
public class OnnxException extends RuntimeException {
    /** An exception with this message. */
    public OnnxException(String message) { super(message); }

    /** An exception with this message, caused by {@code cause}. */
    public OnnxException(String message, Throwable cause) { super(message, cause); }
}
