/**
 * String tensors' ops (TensorFlow's {@code tf.strings}): {@link org.nabla.strings.Strings} is the front door,
 * {@link org.nabla.strings.StringOps} declares the ops and their kernels run on the CPU; joins, split (into a
 * ragged tensor), case, length, substrings, RE2 regular expressions, number parsing and formatting, and hashing to
 * buckets. Strings are not differentiable.
 */
package org.nabla.strings;
