/** Losses (Keras semantics, batch means): MSE, MAE, binary, categorical and sparse categorical cross-entropy. */
package org.nabla.nn.losses;
