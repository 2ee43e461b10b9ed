package org.nabla.serving;

import java.nio.file.Path;

/**
 * One model of a server: the name clients use in {@code /v1/models/NAME}, and where it lives. The base path is either
 * a model itself (a saved model directory, a run folder holding {@code model/}, or an {@code .onnx} file), served as
 * version 1 and never reloaded, or a folder of numbered versions ({@code 1/}, {@code 2/}, ..., each one such model, or
 * a folder holding one {@code .onnx} file), watched for new versions as TensorFlow Serving does.
 */
public record ModelConfig(String name, Path basePath, VersionPolicy policy) {
    /** Checks the name (letters, digits, {@code _ . -}). */
    public ModelConfig {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("model name '" + name + "': use letters, digits, '_', '.' or '-'");
        }
        if (basePath == null) throw new IllegalArgumentException("model '" + name + "' has no base path");
        if (policy == null) policy = VersionPolicy.latest();
    }

    /** A model served with the default policy (the newest version). */
    public static ModelConfig of(String name, Path basePath) {
        return new ModelConfig(name, basePath, VersionPolicy.latest());
    }
}
