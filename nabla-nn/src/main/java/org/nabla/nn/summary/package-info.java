/**
 * TensorBoard's event files written without TensorFlow: {@link org.nabla.nn.summary.SummaryWriter} (like
 * {@code tf.summary}) puts scalars, histograms, images, text and hyperparameters into TFRecord-framed
 * {@code Event} protos ({@link org.nabla.nn.summary.TfRecords}), encoded by a small protobuf writer so nabla-nn needs
 * no protobuf library. The {@code TensorBoard} callback of {@code org.nabla.nn.callbacks} uses it during
 * {@code Model.fit}.
 */
package org.nabla.nn.summary;
