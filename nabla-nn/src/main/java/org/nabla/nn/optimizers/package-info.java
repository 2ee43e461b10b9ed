/**
 * Optimizers (SGD with momentum/Nesterov, Adam, AdamW, RMSprop) with gradient clipping and learning-rate schedules;
 * all their state is in variables.
 */
package org.nabla.nn.optimizers;
