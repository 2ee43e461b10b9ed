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
