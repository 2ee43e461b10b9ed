package org.nabla.spark;

import java.io.Serializable;
import java.util.function.Supplier;
import org.nabla.nn.Model;

/**
 * Builds the compiled model every barrier task trains and the driver loads the result into:
 * {@code () -> ReferenceModels.mlp(42)}. It is serialized with the task, so a lambda must capture only serializable
 * values; every call must build the same architecture (same layers, shapes and optimizer), because replicas and
 * checkpoints match variables by position.
 */
@FunctionalInterface
public interface ModelFactory extends Supplier<Model>, Serializable {}
