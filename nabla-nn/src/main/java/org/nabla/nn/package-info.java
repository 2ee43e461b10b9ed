/** The Keras-like API: layers, models, losses, optimizers, metrics, training loops, callbacks, checkpoints. */
package org.nabla.nn;
