/** Running graphs: executors (serial now; the parallel executor and Session build on the same pieces). */
package org.nabla.runtime;
