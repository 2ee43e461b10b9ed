package org.nabla.ops;

/**
 * Bad input to an op: wrong shapes, dtypes, attribute values or indices. The message names the op, what was given
 * and what was expected.
 */
public class OpException extends IllegalArgumentException {
    public OpException(String op, String message) { super(op + ": " + message); }
}
