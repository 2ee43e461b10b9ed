/**
 * The layers: Dense, the convolutions (Conv1D, Conv2D, Conv3D, their transposes, DepthwiseConv2D, SeparableConv2D),
 * pooling (1-D, 2-D, 3-D, global), Flatten, Reshape, Dropout and the noise layers, the preprocessing layers
 * (Normalization and the augmentation layers, active only in training),
 * Embedding and Masking, the recurrent layers SimpleRNN, LSTM and GRU (their time loop in TimeLoop) with Bidirectional,
 * BatchNormalization, Activation, and the merge layers Add and Concatenate.
 */
package org.nabla.nn.layers;
