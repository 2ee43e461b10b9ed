/**
 * AutoGraph for Java: the bytecode of a traced method or lambda rewritten (with the JDK's ClassFile API) so that
 * {@code if}, {@code while} and {@code for} on a tensor's value become Cond and While nodes when traced.
 */
module org.nabla.autograph {
    requires transitive org.nabla.core;

    exports org.nabla.autograph;
}
