package org.nabla.nn.optimizers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optimizers rebuilt from a name and a config (Keras' {@code optimizers.deserialize}): another process, e.g. a
 * parameter server applying a worker's updates, makes the same optimizer from {@link Optimizer#name()} and
 * {@link Optimizer#config()}.
 */
public final class Optimizers {
    /** The names {@link #fromConfig} knows. */
    public static final List<String> NAMES = List.of("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
            "Adamax", "Lion", "Nadam", "Ftrl");

    private Optimizers() {}

    /**
     * A fresh optimizer (no slots, step 0) of {@code name} with the hyperparameters of {@code config} (Keras names;
     * a missing one takes the constructor's default; {@code learning_rate} is required).
     */
    public static Optimizer fromConfig(String name, Map<String, Double> config) {
        if (name == null || config == null) throw new IllegalArgumentException("fromConfig: name or config is null");
        Config c = new Config(name, config);
        Optimizer o = switch (name) {
            case "SGD" -> new SGD(c.lr(), c.get("momentum", 0), c.get("nesterov", 0) != 0);
            case "Adam" -> new Adam(c.lr(), c.get("beta_1", 0.9), c.get("beta_2", 0.999), c.get("epsilon", 1e-7));
            case "AdamW" -> new AdamW(c.lr(), c.get("weight_decay", 0.004), c.get("beta_1", 0.9),
                    c.get("beta_2", 0.999), c.get("epsilon", 1e-7));
            case "RMSprop" -> new RMSprop(c.lr(), c.get("rho", 0.9), c.get("momentum", 0), c.get("epsilon", 1e-7));
            case "Adagrad" -> new Adagrad(c.lr(), c.get("initial_accumulator_value", 0.1), c.get("epsilon", 1e-7));
            case "Adadelta" -> new Adadelta(c.lr(), c.get("rho", 0.95), c.get("epsilon", 1e-7));
            case "Adamax" -> new Adamax(c.lr(), c.get("beta_1", 0.9), c.get("beta_2", 0.999), c.get("epsilon", 1e-7));
            case "Lion" -> new Lion(c.lr(), c.get("beta_1", 0.9), c.get("beta_2", 0.99));
            case "Nadam" -> new Nadam(c.lr(), c.get("beta_1", 0.9), c.get("beta_2", 0.999), c.get("epsilon", 1e-7));
            case "Ftrl" -> new Ftrl(c.lr(), c.get("learning_rate_power", -0.5), c.get("initial_accumulator_value", 0.1),
                    c.get("l1_regularization_strength", 0), c.get("l2_regularization_strength", 0),
                    c.get("l2_shrinkage_regularization_strength", 0), c.get("beta", 0));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; fromConfig knows "
                    + String.join(", ", NAMES));
        };
        if (config.containsKey("clipnorm")) o.clipnorm(c.get("clipnorm", Double.NaN));
        if (config.containsKey("global_clipnorm")) o.globalClipnorm(c.get("global_clipnorm", Double.NaN));
        if (config.containsKey("clipvalue")) o.clipvalue(c.get("clipvalue", Double.NaN));
        if (config.containsKey("weight_decay")) o.weightDecay(c.get("weight_decay", 0));
        if (c.get("use_ema", 0) != 0) {
            o.useEma(c.get("ema_momentum", 0.99));
            o.emaOverwriteFrequency((int) c.get("ema_overwrite_frequency", 0));
        }
        c.checkAllUsed();
        return o;
    }

    /** The config being read, remembering which keys were used so that a misspelt one is reported. */
    private static final class Config {
        private final String name;
        private final Map<String, Double> values;
        private final Set<String> used = new java.util.HashSet<>(Set.of("learning_rate", "clipnorm",
                "global_clipnorm", "clipvalue", "weight_decay", "ema_momentum", "ema_overwrite_frequency"));

        Config(String name, Map<String, Double> values) {
            this.name = name;
            this.values = new HashMap<>(values);
        }

        double lr() {
            Double lr = values.get("learning_rate");
            if (lr == null) throw new IllegalArgumentException(name + " config has no learning_rate: " + values);
            return lr;
        }

        double get(String key, double fallback) {
            used.add(key);
            Double v = values.get(key);
            return v == null ? fallback : v;
        }

        void checkAllUsed() {
            for (String k : values.keySet()) {
                if (!used.contains(k)) {
                    throw new IllegalArgumentException(name + " has no hyperparameter '" + k + "' (config " + values
                            + ")");
                }
            }
        }
    }
}
