/** Optional extras kept out of the library core: 28x28 PNG input and training-curve charts (XChart). */
module org.nabla.charts {
    requires transitive org.nabla.core;
    requires java.desktop;
    requires org.knowm.xchart;

    exports org.nabla.charts;
}
