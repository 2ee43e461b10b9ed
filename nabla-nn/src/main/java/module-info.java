/** Nabla's Keras-like API: layers, models, losses, metrics, optimizers, callbacks, checkpoints and saved models. */
module org.nabla.nn {
    requires transitive org.nabla.core;
    requires transitive org.nabla.data;

    exports org.nabla.nn;
    exports org.nabla.nn.callbacks;
    exports org.nabla.nn.layers;
    exports org.nabla.nn.losses;
    exports org.nabla.nn.metrics;
    exports org.nabla.nn.optimizers;
    exports org.nabla.nn.saving;
    exports org.nabla.nn.summary;

    provides org.nabla.kernels.OpLibrary with org.nabla.nn.TrainingOps, org.nabla.nn.PoolingOps,
            org.nabla.nn.RecurrentOps, org.nabla.nn.LstmSequenceOps, org.nabla.nn.GruSequenceOps,
            org.nabla.nn.SimpleRnnSequenceOps,
            org.nabla.nn.ImageOps, org.nabla.nn.LookupOps, org.nabla.nn.NormalizationOps;
}
