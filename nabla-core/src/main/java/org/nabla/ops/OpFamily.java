package org.nabla.ops;

/**
 * A family of ops declared outside nabla-core (a module's fused or training ops). Modules list their families in
 * {@code META-INF/services/org.nabla.ops.OpFamily}; {@link OpRegistry} instantiates them with {@link
 * java.util.ServiceLoader} when it loads, which initializes their {@code OpDef} fields. So a graph file or saved
 * model that uses such ops loads in any program with the module on its class path, before any of the module's code
 * has run.
 */
public interface OpFamily {
}
