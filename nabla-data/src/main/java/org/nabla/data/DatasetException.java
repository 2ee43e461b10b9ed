package org.nabla.data;

/**
 * A failure inside a pipeline stage, raised on the consumer's thread. When the failure happened on a background
 * thread (parallel map, prefetch) or in a user function, {@link #getCause()} is the original exception.
 */
public final class DatasetException extends RuntimeException {
    /** An exception with this message. */
    public DatasetException(String message) { super(message); }

    /** An exception with this message, caused by {@code cause}. */
    public DatasetException(String message, Throwable cause) { super(message, cause); }

    /** Wraps a failure of {@code stage}, keeping one level of wrapping when it already is a DatasetException. */
    static DatasetException of(String stage, Throwable t) {
        if (t instanceof DatasetException d) return new DatasetException(d.getMessage(), d.getCause() == null ? d : d.getCause());
        return new DatasetException(stage + " failed: " + t, t);
    }
}
