/**
 * nabla-core's {@link org.nabla.kernels.OpLibrary}: the one class that ties each core op family to its gradient rules
 * (autodiff) and CPU kernels (kernels.cpu). It sits above those packages, so none of them depends on another to be
 * registered; nothing imports it (it is found through {@link java.util.ServiceLoader}).
 */
package org.nabla.library;
