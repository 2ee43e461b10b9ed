package org.nabla.onnx;

/**
 * The model is well formed but uses an operator, attribute value or dtype Nabla has not implemented; the message says
 * which. The conformance runner counts such cases as skipped rather than failed.
 */
public class UnsupportedOnnxException extends OnnxException {
    /** An exception whose message names what is not supported. */
    public UnsupportedOnnxException(String message) { super(message); }
}
