/** Nabla's input pipeline: {@code Dataset}, IDX files, MNIST, Fashion-MNIST, the first-name lists, the SpamAssassin corpus and text vectorization. */
module org.nabla.data {
    requires transitive org.nabla.core;

    exports org.nabla.data;
    exports org.nabla.data.datasets;
    exports org.nabla.data.io;
    exports org.nabla.data.text;
}
