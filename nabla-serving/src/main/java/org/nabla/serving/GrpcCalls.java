package org.nabla.serving;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * Answers one gRPC call: the reply, or the refusal as a gRPC status (a 400 becomes INVALID_ARGUMENT, 404 NOT_FOUND,
 * 413 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, a failure inside the model INTERNAL), counted in the metrics under
 * {@code endpoint} with the HTTP status the REST API would have answered.
 */
final class GrpcCalls {
    private GrpcCalls() { }

    static <T> void answer(ServingMetrics metrics, String endpoint, StreamObserver<T> out, Supplier<T> reply) {
        long start = System.nanoTime();
        int httpStatus = 200;
        T answer = null;
        Status refusal = null;
        try {
            answer = reply.get();
        } catch (ServingException e) {
            httpStatus = e.status();
            refusal = code(e.status()).withDescription(e.getMessage());
        } catch (RuntimeException e) {
            httpStatus = 500;
            refusal = Status.INTERNAL.withDescription("the model failed: " + e.getMessage());
        }
        metrics.request(endpoint, httpStatus, System.nanoTime() - start);
        if (refusal != null) {
            out.onError(refusal.asRuntimeException());
        } else {
            out.onNext(answer);
            out.onCompleted();
        }
    }

    /** The gRPC code of an HTTP status. */
    static Status code(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 404 -> Status.NOT_FOUND;
            case 405 -> Status.UNIMPLEMENTED;
            case 413 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> httpStatus >= 500 ? Status.INTERNAL : Status.INVALID_ARGUMENT;
        };
    }
}
