/**
 * Runnable examples, one class with a {@code main} per walk-through; run one with {@code scripts/example.sh Name}.
 * {@link org.nabla.examples.TensorBasics} follows the tensor section of the seed notes (TensorFlow's tensor guide).
 */
package org.nabla.examples;
