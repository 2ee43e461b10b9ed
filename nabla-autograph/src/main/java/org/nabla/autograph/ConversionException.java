package org.nabla.autograph;

/**
 * Code that AutoGraph cannot convert (or a converted construct that cannot be traced), reported with the source file
 * and line of the Java statement, as TensorFlow's AutoGraph reports its conversion errors.
 */
public final class ConversionException extends RuntimeException {
    private final String sourceFile;
    private final int line;

    /** An error at {@code sourceFile:line}; the message starts with that place. */
    public ConversionException(String sourceFile, int line, String message) {
        super((sourceFile == null ? "?" : sourceFile) + ":" + line + ": " + message);
        this.sourceFile = sourceFile;
        this.line = line;
    }

    /** The source file named in the class file (null when it names none). */
    public String sourceFile() { return sourceFile; }

    /** The source line (-1 when the class file has no line table). */
    public int line() { return line; }
}
