/** Input pipelines: the {@code Dataset} API, IDX files and the MNIST / Fashion-MNIST loaders. */
package org.nabla.data;
