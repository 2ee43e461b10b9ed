/**
 * Text to model inputs: {@link org.nabla.data.text.TextVectorizer} turns Java strings into padded token-id tensors
 * with a vocabulary learned from a corpus, as Keras' {@code TextVectorization} layer does.
 */
package org.nabla.data.text;
