package org.nabla.distributed.rpc;

import org.nabla.distributed.DistributedException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The small pieces every service and client share: answering a call, calling asynchronously, reading failures. */
public final class Rpc {
    private Rpc() {}

    /** Answers a unary call with {@code body}'s result, or a status carrying its error's message. */
    public static <T> void serve(StreamObserver<T> out, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (Throwable e) {
            out.onError(toStatus(e).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    /** The status a server answers for {@code e}: the code its kind suggests, the message of the real cause. */
    public static Status toStatus(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof StatusRuntimeException s) return s.getStatus();
        Status code = switch (t) {
            case IllegalArgumentException _ -> Status.INVALID_ARGUMENT;
            case DistributedException _ -> Status.ABORTED;
            case StaleIncarnationException _ -> Status.FAILED_PRECONDITION;
            case IllegalStateException _ -> Status.FAILED_PRECONDITION;
            default -> Status.INTERNAL;
        };
        return code.withDescription(message(t)).withCause(t);
    }

    /** A unary call made through an async stub, as a future. */
    public static <T> CompletableFuture<T> call(Consumer<StreamObserver<T>> start) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            start.accept(new StreamObserver<>() {
                @Override public void onNext(T value) { f.complete(value); }

                @Override public void onError(Throwable t) { f.completeExceptionally(t); }

                @Override public void onCompleted() {
                    if (!f.isDone()) f.completeExceptionally(new IllegalStateException("the call ended without a reply"));
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Waits for {@code f}; its failure comes back unwrapped. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("interrupted while waiting for a remote call", e);
        } catch (ExecutionException e) {
            Throwable t = unwrap(e);
            if (t instanceof RuntimeException r) throw r;
            throw new DistributedException(message(t), t);
        }
    }

    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The most useful text of a failure: a status's code and description, else the first message in the chain. */
    public static String message(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof StatusRuntimeException s) {
            Status st = s.getStatus();
            String d = st.getDescription();
            if (st.getCode() == Status.Code.UNAVAILABLE && st.getCause() != null && st.getCause().getMessage() != null) {
                d = (d == null ? "" : d + ": ") + st.getCause().getMessage();
            }
            return st.getCode() + (d == null ? "" : ": " + d);
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) return c.getMessage();
        }
        return t.getClass().getSimpleName();
    }

    /** Whether {@code e} only echoes a failure elsewhere (a step aborted or a call cancelled because another failed). */
    public static boolean isSecondary(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof StatusRuntimeException s) {
            Status.Code c = s.getStatus().getCode();
            String d = String.valueOf(s.getStatus().getDescription());
            return c == Status.Code.CANCELLED || c == Status.Code.ABORTED || d.contains("step aborted");
        }
        return String.valueOf(t.getMessage()).contains("step aborted");
    }

    /** A task's request carried an incarnation other than the task's: it restarted since the master saw it. */
    public static final class StaleIncarnationException extends IllegalStateException {
        public StaleIncarnationException(String message) { super(message); }
    }
}
