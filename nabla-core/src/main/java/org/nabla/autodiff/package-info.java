/**
 * Automatic differentiation: gradient functions registered by op name, symbolic gradients in graphs and the eager
 * gradient tape, both over the same registry.
 */
package org.nabla.autodiff;
