package org.nabla.serving;

import com.google.protobuf.Int64Value;
import org.nabla.serving.tfproto.ModelSpec;

/** A gRPC request's ModelSpec: which model, which version (newest, a number, or a label), which signature. */
final class ModelSpecs {
    static final String DEFAULT_SIGNATURE = "serving_default";

    private ModelSpecs() { }

    /** Holds the version {@code spec} names; the caller must {@link ServedVersion#release} it. */
    static ServedVersion acquire(ModelRegistry registry, ModelSpec spec) {
        checkSignature(spec);
        return registry.acquire(name(spec), version(spec), label(spec));
    }

    /** The model name; 400 when the spec has none. */
    static String name(ModelSpec spec) {
        if (spec.getName().isEmpty()) throw ServingException.badRequest("model_spec.name is empty; name the model");
        return spec.getName();
    }

    /** The version number asked for, or null. */
    static Long version(ModelSpec spec) {
        return spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION ? spec.getVersion().getValue() : null;
    }

    /** The version label asked for, or null. */
    static String label(ModelSpec spec) {
        return spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION_LABEL ? spec.getVersionLabel() : null;
    }

    /** The spec an answer carries: the model, the version that answered, the signature. */
    static ModelSpec answered(ServedVersion v) {
        return ModelSpec.newBuilder().setName(v.model.name()).setVersion(Int64Value.of(v.version))
                .setSignatureName(DEFAULT_SIGNATURE).build();
    }

    private static void checkSignature(ModelSpec spec) {
        String s = spec.getSignatureName();
        if (!s.isEmpty() && !s.equals(DEFAULT_SIGNATURE)) throw ServingException.badRequest("Serving signature key \""
                + s + "\" not found; the model has only " + DEFAULT_SIGNATURE);
    }
}
