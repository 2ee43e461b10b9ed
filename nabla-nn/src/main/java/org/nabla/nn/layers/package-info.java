/**
 * The layers: Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape, Dropout,
 * BatchNormalization, Activation, and the merge layers Add and Concatenate.
 */
package org.nabla.nn.layers;
