/**
 * The layers: Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape, Dropout,
 * Embedding and Masking, the recurrent layers SimpleRNN, LSTM and GRU (their time loop in TimeLoop) with Bidirectional,
 * BatchNormalization, Activation, and the merge layers Add and Concatenate.
 */
package org.nabla.nn.layers;
