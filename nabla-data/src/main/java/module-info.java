/** Nabla's input pipeline: {@code Dataset}, IDX files, MNIST, Fashion-MNIST and the first-name lists. */
module org.nabla.data {
    requires transitive org.nabla.core;

    exports org.nabla.data;
    exports org.nabla.data.datasets;
    exports org.nabla.data.io;
}
