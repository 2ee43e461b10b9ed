package org.nabla.serving;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model of a server: the name clients use in {@code /v1/models/NAME}, and where it lives. The base path is either
 * a model itself (a saved model directory, a run folder holding {@code model/}, or an {@code .onnx} file), served as
 * version 1 and never reloaded, or a folder of numbered versions ({@code 1/}, {@code 2/}, ..., each one such model, or
 * a folder holding one {@code .onnx} file), watched for new versions as TensorFlow Serving does. Version labels
 * ({@code stable -> 2}) let clients ask for a version by name ({@code /v1/models/NAME/labels/stable}).
 */
public record ModelConfig(String name, Path basePath, VersionPolicy policy, Map<String, Long> versionLabels) {
    /** Checks the name (letters, digits, {@code _ . -}) and the labels (a label names one version). */
    public ModelConfig {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("model name '" + name + "': use letters, digits, '_', '.' or '-'");
        }
        if (basePath == null) throw new IllegalArgumentException("model '" + name + "' has no base path");
        if (policy == null) policy = VersionPolicy.latest();
        versionLabels = versionLabels == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new TreeMap<>(versionLabels));
        for (Map.Entry<String, Long> e : versionLabels.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("model '" + name + "': version label '" + e.getKey()
                        + "': use letters, digits, '_', '.' or '-'");
            }
            if (e.getValue() == null || e.getValue() < 0) throw new IllegalArgumentException("model '" + name
                    + "': version label '" + e.getKey() + "' names version " + e.getValue());
        }
    }

    /** A model without version labels. */
    public ModelConfig(String name, Path basePath, VersionPolicy policy) {
        this(name, basePath, policy, Map.of());
    }

    /** A model served with the default policy (the newest version). */
    public static ModelConfig of(String name, Path basePath) {
        return new ModelConfig(name, basePath, VersionPolicy.latest());
    }

    /** This model with version labels ({@code label -> version}). */
    public ModelConfig withVersionLabels(Map<String, Long> labels) {
        return new ModelConfig(name, basePath, policy, labels);
    }
}
