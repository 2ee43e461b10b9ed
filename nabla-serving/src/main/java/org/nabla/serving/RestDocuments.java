package org.nabla.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.io.Json;

/** The status and metadata answers, shaped as TensorFlow Serving's so that its clients read them unchanged. */
final class RestDocuments {
    private RestDocuments() { }

    /** {@code GET /v1/models/NAME[/versions/N]}: each version's state, AVAILABLE or END with the reason. */
    static String status(List<ModelVersions.State> states) {
        List<Object> list = new ArrayList<>();
        for (ModelVersions.State s : states) {
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("version", Long.toString(s.version()));
            version.put("state", s.available() ? "AVAILABLE" : "END");
            boolean failed = !s.available() && !s.error().startsWith("unloaded");
            version.put("status", Map.of("error_code", failed ? "UNKNOWN" : "OK", "error_message", s.error()));
            list.add(version);
        }
        return Json.write(Map.of("model_version_status", list));
    }

    /** {@code GET /v1/models/NAME/metadata}: the {@code serving_default} signature's inputs and outputs. */
    static String metadata(ServedModel model, long version) {
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("inputs", ports(model.inputs()));
        signature.put("outputs", ports(model.outputs()));
        signature.put("method_name", "tensorflow/serving/predict");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", model.name());
        spec.put("signature_name", "");
        spec.put("version", Long.toString(version));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model_spec", spec);
        doc.put("metadata", Map.of("signature_def", Map.of("signature_def", Map.of("serving_default", signature))));
        return Json.write(doc);
    }

    private static Map<String, Object> ports(List<ServedModel.Port> ports) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ServedModel.Port p : ports) {
            List<Object> dims = new ArrayList<>();
            for (int d : p.spec().shape().dims()) dims.add(Map.of("size", Integer.toString(d), "name", ""));
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", tfName(p.spec().dtype()));
            info.put("tensor_shape", Map.of("dim", dims, "unknown_rank", false));
            info.put("name", p.name());
            out.put(p.name(), info);
        }
        return out;
    }

    /** TensorFlow's DataType enum name: DT_FLOAT, DT_INT64, ... */
    static String tfName(DType d) {
        return switch (d) {
            case FLOAT32 -> "DT_FLOAT";
            case FLOAT64 -> "DT_DOUBLE";
            default -> "DT_" + d.name();
        };
    }
}
