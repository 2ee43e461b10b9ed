/**
 * Stateful metrics ({@link org.nabla.nn.metrics.Metric}): additive statistics computed per batch inside the step and
 * summed on the host, so epoch values are exact. Accuracies and losses as weighted means, precision, recall, AUC,
 * F-scores and mean IoU.
 */
package org.nabla.nn.metrics;
