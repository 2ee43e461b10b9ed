package org.nabla.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * The time loop of the recurrent layers, Keras' {@code backend.rnn}: runs a cell step over the timesteps of an input
 * projection [batch, time, width], forward or backward, skipping masked timesteps (they keep the states; the output
 * repeats the previous one, or is zero with {@code zeroOutputForMask}).
 *
 * <p>Unrolled (the default; the time length must be known), each timestep is a few ops on [batch, units] tensors,
 * the timesteps are cut out of the projection by one Split and the outputs joined by one Stack, and gradients
 * through time are the ordinary gradients of those ops. Otherwise the loop is one While node. docs/nn.md
 * ("Recurrent layers") measures the two.
 */
final class TimeLoop {
    private TimeLoop() {}

    /** The cell: (projection of one timestep, states) -> new states, state 0 being the output. */
    interface Step {
        Tensor[] apply(Tensor xw, Tensor[] states);
    }

    /** The output (last, or the whole sequence [batch, time, units]) and the final states. */
    record Result(Tensor output, Tensor[] states) {}

    static Result run(Tensor xw, Tensor mask, Tensor[] initialStates, int units, boolean goBackwards,
                      boolean zeroOutputForMask, boolean returnSequences, boolean unroll, Step step) {
        Tensor[] states = initialStates.clone();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == null) states[i] = zeroState(xw, units);
        }
        return unroll ? unrolled(xw, mask, states, goBackwards, zeroOutputForMask, returnSequences, step)
                : whileLoop(xw, mask, states, units, goBackwards, zeroOutputForMask, returnSequences, step);
    }

    private static Result unrolled(Tensor xw, Tensor mask, Tensor[] states, boolean goBackwards,
                                   boolean zeroOutputForMask, boolean returnSequences, Step step) {
        int time = xw.shape().dim(1), width = xw.shape().dim(2);
        Tensor[] xs = time == 1 ? new Tensor[] {xw} : Ops.split(xw, time, 1);
        Tensor[] ms = mask == null ? null : time == 1 ? new Tensor[] {mask} : Ops.split(mask, time, 1);
        List<Tensor> outputs = new ArrayList<>(time);
        Tensor previous = states[0];
        for (int k = 0; k < time; k++) {
            int t = goBackwards ? time - 1 - k : k;
            Tensor[] next = step.apply(Ops.reshape(xs[t], -1, width), states);
            Tensor out = next[0];
            if (ms != null) {
                Tensor keep = ms[t];   // [batch, 1] bool, broadcast over units
                for (int i = 0; i < next.length; i++) next[i] = Ops.where(keep, next[i], states[i]);
                out = zeroOutputForMask ? Ops.where(keep, out, Ops.zerosLike(out)) : Ops.where(keep, out, previous);
            }
            states = next;
            previous = out;
            if (returnSequences) outputs.add(out);
        }
        Tensor output = returnSequences ? Ops.stack(outputs, 1) : previous;
        return new Result(output, states);
    }

    /**
     * The same loop as one While node (eagerly: a Java loop): loop vars (t, states..., last output, outputs so far
     * [time, batch, units]); the body gathers timestep t of the time-major projection and mask (captured) and adds
     * its output to the outputs through a one-hot row (a While's loop vars keep their shapes, so the outputs are a
     * fixed-size buffer). Gradients through time come from the While's gradient rule (a backward While).
     */
    private static Result whileLoop(Tensor xw, Tensor mask, Tensor[] states, int units, boolean goBackwards,
                                    boolean zeroOutputForMask, boolean returnSequences, Step step) {
        int time = xw.shape().dim(1), n = states.length;
        Tensor xt = Ops.transpose(xw, 1, 0, 2);                                     // [time, batch, width]
        Tensor mt = mask == null ? null : Ops.expandDims(Ops.transpose(mask, 1, 0), -1);   // [time, batch, 1]
        Tensor zeros = Ops.zerosLike(Ops.slice(xt, new int[] {0, 0, 0}, new int[] {-1, -1, units}));
        Tensor[] vars = new Tensor[n + 3];
        vars[0] = org.nabla.Tensors.scalar(0);
        System.arraycopy(states, 0, vars, 1, n);
        vars[n + 1] = states[0];
        vars[n + 2] = returnSequences ? zeros : org.nabla.Tensors.scalar(0);   // no buffer without sequences
        Tensor[] done = Ops.whileLoop(v -> Ops.less(v[0], time), v -> {
            Tensor t = v[0];
            Tensor index = goBackwards ? Ops.sub(time - 1, t) : t;
            Tensor[] old = java.util.Arrays.copyOfRange(v, 1, n + 1);
            Tensor[] next = step.apply(Ops.gather(xt, index), old);
            Tensor out = next[0];
            if (mt != null) {
                Tensor keep = Ops.gather(mt, index);
                for (int i = 0; i < n; i++) next[i] = Ops.where(keep, next[i], old[i]);
                out = zeroOutputForMask ? Ops.where(keep, out, Ops.zerosLike(out)) : next[0];
            }
            Tensor[] r = new Tensor[n + 3];
            r[0] = Ops.add(t, 1);
            System.arraycopy(next, 0, r, 1, n);
            r[n + 1] = out;
            r[n + 2] = v[n + 2];
            if (returnSequences) {
                Tensor row = Ops.reshape(Ops.oneHot(t, time, 1, 0, -1, out.dtype()), time, 1, 1);
                r[n + 2] = Ops.add(v[n + 2], Ops.mul(row, Ops.expandDims(out, 0)));
            }
            return r;
        }, vars);
        Tensor output = returnSequences ? Ops.transpose(done[n + 2], 1, 0, 2) : done[n + 1];
        return new Result(output, java.util.Arrays.copyOfRange(done, 1, n + 1));
    }

    /** Zeros [batch, units] with the batch of the (possibly symbolic) projection {@code xw} [batch, time, width]. */
    static Tensor zeroState(Tensor xw, int units) {
        return Ops.zerosLike(Ops.slice(xw, new int[] {0, 0, 0}, new int[] {-1, 1, units}).reshape(-1, units));
    }
}
