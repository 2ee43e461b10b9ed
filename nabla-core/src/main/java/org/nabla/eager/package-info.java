/** Execution contexts: where op calls go. Eager runs kernels at once; graph builders and tracers plug in here. */
package org.nabla.eager;
