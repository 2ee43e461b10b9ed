/** Devices: where tensors live and kernels run. The CPU device is built in; others plug in as modules. */
package org.nabla.device;
