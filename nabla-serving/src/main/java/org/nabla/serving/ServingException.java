package org.nabla.serving;

/** A request the server refuses, with the HTTP status to answer and a message for the client's {@code "error"}. */
public final class ServingException extends RuntimeException {
    private final int status;

    /** A refusal with HTTP {@code status} (4xx for the client's mistakes) and a message saying what was wrong. */
    public ServingException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 400 Bad Request: malformed JSON, wrong shapes or dtypes, unknown inputs. */
    public static ServingException badRequest(String message) { return new ServingException(400, message); }

    /** 404 Not Found: an unknown model, version or path. */
    public static ServingException notFound(String message) { return new ServingException(404, message); }

    /** The HTTP status of the answer. */
    public int status() { return status; }
}
