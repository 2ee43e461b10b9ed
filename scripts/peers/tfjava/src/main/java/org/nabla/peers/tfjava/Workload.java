package org.nabla.peers.tfjava;

/** One measured row: a reference model, "train" or "infer", and the batch size. */
record Workload(String model, String phase, int batch) {
    /** The reference batch a model trains at (ReferenceModels: mlp 32, cnn 128). */
    static int trainBatch(String model) {
        return switch (model) {
            case "mlp" -> 32;
            case "cnn" -> 128;
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; known: mlp, cnn");
        };
    }

    boolean training() {
        return phase.equals("train");
    }
}
