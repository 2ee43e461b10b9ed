/** File formats of datasets: {@link org.nabla.data.io.Idx}, the IDX format of MNIST and Fashion-MNIST. */
package org.nabla.data.io;
