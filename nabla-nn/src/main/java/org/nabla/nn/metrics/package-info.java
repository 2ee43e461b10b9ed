/** Metrics computed per batch inside the training step: accuracies, and losses used as metrics. */
package org.nabla.nn.metrics;
