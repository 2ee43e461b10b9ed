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
 * <p>The loop is unrolled at build time (the time length must be known): each timestep is a few ops on [batch,
 * units] tensors, the timesteps are cut out of the projection by one Split and the outputs joined by one Stack, and
 * gradients through time are the ordinary gradients of those ops. See docs/nn.md ("Recurrent layers") for why this
 * rather than a While node.
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
                      boolean zeroOutputForMask, boolean returnSequences, Step step) {
        int time = xw.shape().dim(1), width = xw.shape().dim(2);
        Tensor[] xs = time == 1 ? new Tensor[] {xw} : Ops.split(xw, time, 1);
        Tensor[] ms = mask == null ? null : time == 1 ? new Tensor[] {mask} : Ops.split(mask, time, 1);
        Tensor[] states = initialStates.clone();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == null) states[i] = zeroState(xs[0], units);
        }
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

    /** Zeros [batch, units] with the batch of the (possibly symbolic) timestep {@code x}. */
    private static Tensor zeroState(Tensor x, int units) {
        Tensor z = Ops.zerosLike(Ops.reshape(x, -1, x.shape().dim(-1)));
        return x.shape().dim(-1) == units ? z : Ops.slice(z, new int[] {0, 0}, new int[] {-1, units});
    }
}
