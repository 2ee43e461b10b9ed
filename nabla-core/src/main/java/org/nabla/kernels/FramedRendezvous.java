package org.nabla.kernels;

import java.util.concurrent.CompletableFuture;
import org.nabla.Tensor;

/**
 * The rendezvous of one function call: the step's rendezvous with the frame of every key replaced by the call's
 * ({@code frameId:iteration}), see {@link Rendezvous#inFrame}. Views nest by replacing, never by stacking: a call made
 * inside a call gets a view of the step's rendezvous with its own frame.
 */
final class FramedRendezvous implements Rendezvous {
    private final Rendezvous base;
    private final String frame;

    private FramedRendezvous(Rendezvous base, String frame) {
        this.base = base;
        this.frame = frame;
    }

    static Rendezvous of(Rendezvous base, String frame) {
        if (base == null) throw new IllegalArgumentException("Rendezvous.inFrame: base is null");
        int colon = frame == null ? -1 : frame.indexOf(':');
        if (colon <= 0 || colon == frame.length() - 1 || frame.indexOf(':', colon + 1) >= 0 || frame.indexOf(';') >= 0) {
            throw new IllegalArgumentException("Rendezvous.inFrame: frame '" + frame + "' is not frameId:iteration");
        }
        return new FramedRendezvous(base instanceof FramedRendezvous f ? f.base : base, frame);
    }

    private String framed(String key) {
        int semi = key.lastIndexOf(';');
        if (semi < 0) throw new IllegalArgumentException("rendezvous key '" + key + "' has no frame");
        return key.substring(0, semi + 1) + frame;
    }

    @Override public void send(String key, Tensor value) { base.send(framed(key), value); }

    @Override public CompletableFuture<Tensor> recv(String key) { return base.recv(framed(key)); }

    @Override public void abort(Throwable cause) { base.abort(cause); }

    @Override public String toString() { return "frame " + frame + " of " + base; }
}
