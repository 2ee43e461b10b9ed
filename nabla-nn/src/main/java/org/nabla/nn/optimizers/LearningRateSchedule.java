package org.nabla.nn.optimizers;

/**
 * A learning rate as a function of the optimizer step (the number of updates applied so far). Evaluated on the host
 * before each step; the result is stored in the optimizer's learning-rate variable, which the (traced) step reads.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate for {@code step}, the number of updates applied so far. */
    double at(long step);

    /** {@code initial * rate^(step / decaySteps)}, the exponent floored when {@code staircase}. */
    static LearningRateSchedule exponentialDecay(double initial, long decaySteps, double rate, boolean staircase) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("exponentialDecay: decaySteps must be positive, got " + decaySteps);
        }
        return step -> {
            double p = (double) step / decaySteps;
            return initial * Math.pow(rate, staircase ? Math.floor(p) : p);
        };
    }

    /**
     * {@code values[0]} for {@code step <= boundaries[0]}, {@code values[i]} for
     * {@code boundaries[i-1] < step <= boundaries[i]},
     * the last value after the last boundary (TensorFlow's PiecewiseConstantDecay).
     */
    static LearningRateSchedule piecewiseConstant(long[] boundaries, double[] values) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("piecewiseConstant: need one more value than boundaries, got "
                    + boundaries.length + " boundaries and " + values.length + " values");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("piecewiseConstant: boundaries must increase: "
                        + java.util.Arrays.toString(boundaries));
            }
        }
        long[] b = boundaries.clone();
        double[] v = values.clone();
        return step -> {
            for (int i = 0; i < b.length; i++) if (step <= b[i]) return v[i];
            return v[v.length - 1];
        };
    }

    /**
     * Polynomial decay from {@code initial} to {@code end} over {@code decaySteps} (Keras' PolynomialDecay):
     * {@code (initial - end) (1 - step / decaySteps)^power + end}, then {@code end}; with {@code cycle} the decay
     * restarts with a period of the next multiple of {@code decaySteps}.
     */
    static LearningRateSchedule polynomialDecay(double initial, long decaySteps, double end, double power,
                                                boolean cycle) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("polynomialDecay: decaySteps must be positive, got " + decaySteps);
        }
        return step -> {
            double period = decaySteps;
            double s = step;
            if (cycle) period = decaySteps * Math.max(1, Math.ceil((double) step / decaySteps));
            else s = Math.min(step, decaySteps);
            return (initial - end) * Math.pow(1 - s / period, power) + end;
        };
    }

    /** {@code initial / (1 + rate * step / decaySteps)}, the quotient floored when {@code staircase}. */
    static LearningRateSchedule inverseTimeDecay(double initial, long decaySteps, double rate, boolean staircase) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("inverseTimeDecay: decaySteps must be positive, got " + decaySteps);
        }
        return step -> {
            double p = (double) step / decaySteps;
            return initial / (1 + rate * (staircase ? Math.floor(p) : p));
        };
    }

    /**
     * Linear warm-up from {@code initial} to {@code warmupTarget} over {@code warmupSteps}, then cosine decay from
     * {@code warmupTarget} to {@code warmupTarget * alpha} over {@code decaySteps} (Keras' CosineDecay with
     * {@code warmup_target} and {@code warmup_steps}).
     */
    static LearningRateSchedule cosineDecay(double initial, long decaySteps, double alpha, double warmupTarget,
                                            long warmupSteps) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("cosineDecay: warmupSteps must be >= 0, got " + warmupSteps);
        }
        LearningRateSchedule decay = cosineDecay(warmupTarget, decaySteps, alpha);
        return step -> step < warmupSteps ? initial + (warmupTarget - initial) * step / warmupSteps
                : decay.at(step - warmupSteps);
    }

    /** Cosine decay from {@code initial} to {@code initial * alpha} over {@code decaySteps}, then constant. */
    static LearningRateSchedule cosineDecay(double initial, long decaySteps, double alpha) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("cosineDecay: decaySteps must be positive, got " + decaySteps);
        }
        return step -> {
            double p = Math.min(step, decaySteps) / (double) decaySteps;
            double cos = 0.5 * (1 + Math.cos(Math.PI * p));
            return initial * ((1 - alpha) * cos + alpha);
        };
    }
}
