package org.nabla.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.nabla.Tensor;
import org.nabla.kernels.Rendezvous;

/**
 * The in-process rendezvous: a map from keys to futures, completed by the sender, awaited by the receiver. A slot is
 * dropped once its value reached the receiver, so a step whose loops make many calls (each with keys of its own frame,
 * see {@link Rendezvous#inFrame}) holds only the transfers in flight; a key sent twice is caught only while its first
 * value waits.
 */
public final class LocalRendezvous implements Rendezvous {
    private final ConcurrentHashMap<String, CompletableFuture<Tensor>> slots = new ConcurrentHashMap<>();
    private volatile Throwable aborted;

    private CompletableFuture<Tensor> slot(String key) {
        CompletableFuture<Tensor> f = slots.computeIfAbsent(key, k -> new CompletableFuture<>());
        Throwable a = aborted;
        if (a != null) f.completeExceptionally(a);
        return f;
    }

    @Override
    public void send(String key, Tensor value) {
        if (!slot(key).complete(value) && aborted == null) {
            throw new IllegalStateException("rendezvous: key '" + key + "' was sent twice in one run");
        }
    }

    @Override
    public CompletableFuture<Tensor> recv(String key) {
        CompletableFuture<Tensor> f = slot(key);
        f.whenComplete((t, e) -> slots.remove(key, f));
        return f;
    }

    @Override
    public void abort(Throwable cause) {
        aborted = cause;
        for (CompletableFuture<Tensor> f : slots.values()) f.completeExceptionally(cause);
    }

    /** Keys sent and not yet received, or awaited (for tests and debugging). */
    public java.util.Set<String> keys() { return java.util.Set.copyOf(slots.keySet()); }
}
