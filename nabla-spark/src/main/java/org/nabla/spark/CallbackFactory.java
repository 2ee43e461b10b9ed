package org.nabla.spark;

import java.io.Serializable;
import java.util.function.Supplier;
import org.nabla.nn.callbacks.Callback;

/**
 * Makes a {@link Callback} in each barrier task for that task's {@code Model.fit} (callbacks hold state, so each task
 * needs its own); serialized with the task. Inside the callback, {@code BarrierTaskContext.get()} tells which
 * partition and stage attempt runs it.
 */
@FunctionalInterface
public interface CallbackFactory extends Supplier<Callback>, Serializable {}
