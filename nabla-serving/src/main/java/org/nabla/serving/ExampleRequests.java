package org.nabla.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's {@code :classify} and {@code :regress} APIs. A request holds {@code "examples"}, each an
 * object of named features, and an optional {@code "context"} of features shared by every example; the model's
 * inputs are read from the features of the same names (others are ignored, as when TensorFlow parses tf.Examples).
 * Classification reads the output named {@code scores} (else {@code probabilities}, as {@code nabla train}'s models
 * name it, else the only output: one score per class) and labels the
 * classes with the output named {@code classes} when there is one, else with their indices; regression reads the
 * output named {@code outputs} (or the only output, one value per example).
 */
final class ExampleRequests {
    private ExampleRequests() { }

    /** The examples of a classify or regress body as input rows. */
    static Rows parse(String body, List<ServedModel.Port> inputs, int maxRows) {
        Map<?, ?> top = PredictRequest.jsonObject(body, "with \"examples\" (and optionally \"context\")");
        for (Object key : top.keySet()) {
            if (!List.of("examples", "context", "signature_name").contains(key)) throw ServingException.badRequest(
                    "unknown field \"" + key + "\"; a classify or regress request has \"examples\", \"context\" and "
                            + "\"signature_name\"");
        }
        Object sig = top.get("signature_name");
        if (sig != null && !sig.equals("serving_default") && !sig.equals("")) throw ServingException.badRequest(
                "no signature '" + sig + "'; the model has only serving_default");
        if (!(top.get("examples") instanceof List<?> examples)) throw ServingException.badRequest(
                "\"examples\" must be a list of objects of named features");
        Object context = top.containsKey("context") ? top.get("context") : Map.of();
        if (!(context instanceof Map<?, ?> shared)) throw ServingException.badRequest(
                "\"context\" must be an object of named features");
        List<Object> instances = new ArrayList<>();
        for (Object e : examples) {
            if (!(e instanceof Map<?, ?> features)) throw ServingException.badRequest("every example must be an object "
                    + "of named features, got " + org.nabla.io.Json.write(e).strip());
            Map<Object, Object> merged = new LinkedHashMap<>();
            for (ServedModel.Port p : inputs) {
                Object v = features.containsKey(p.name()) ? features.get(p.name()) : shared.get(p.name());
                if (v == null) throw ServingException.badRequest("an example lacks feature '" + p.name() + "' ("
                        + p.spec() + "), in it or in \"context\"");
                merged.put(p.name(), v);
            }
            instances.add(merged);
        }
        if (instances.isEmpty()) throw ServingException.badRequest("the request holds no examples");
        Rows rows = PredictRequest.fromInstances(instances, inputs);
        PredictRequest.checkCount(rows, maxRows);
        return rows;
    }

    /** The output holding the class scores; 400 when the model has none that fits. */
    static int scoresOutput(ServedModel model) {
        int t = indexOf(model, "scores") < 0 && indexOf(model, "probabilities") >= 0
                ? indexOf(model, "probabilities") : output(model, "scores", ":classify");
        if (model.outputs().get(t).spec().shape().rank() != 2) throw ServingException.badRequest(":classify needs "
                + "scores of shape (batch, classes); output '" + model.outputs().get(t).name() + "' is "
                + model.outputs().get(t).spec());
        return t;
    }

    /** The output holding the regression values; 400 when the model has none that fits. */
    static int regressionOutput(ServedModel model) {
        int t = output(model, "outputs", ":regress");
        int[] dims = model.outputs().get(t).spec().shape().dims();
        if (!(dims.length == 1 || dims.length == 2 && dims[1] == 1)) throw ServingException.badRequest(":regress "
                + "needs one value per example, of shape (batch) or (batch, 1); output '"
                + model.outputs().get(t).name() + "' is " + model.outputs().get(t).spec());
        return t;
    }

    /** {@code {"result": [[[label, score], ...], ...]}}: every class of every example. */
    static String classification(Rows out, ServedModel model, int scores) {
        int classes = indexOf(model, "classes");
        int k = out.rowSize(scores);
        if (classes >= 0 && out.rowSize(classes) != k) classes = -1;
        StringBuilder sb = new StringBuilder("{\"result\": [");
        for (int r = 0; r < out.count(); r++) {
            if (r > 0) sb.append(", ");
            sb.append('[');
            for (int c = 0; c < k; c++) {
                if (c > 0) sb.append(", ");
                String label = classes < 0 ? Integer.toString(c) : label(out.numbers(classes)[r * k + c]);
                sb.append("[\"").append(label).append("\", ");
                JsonText.number(sb, out.numbers(scores)[r * k + c], model.outputs().get(scores).spec().dtype());
                sb.append(']');
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    /** {@code {"result": [value, ...]}}: one value per example. */
    static String regression(Rows out, ServedModel model, int t) {
        StringBuilder sb = new StringBuilder("{\"result\": [");
        for (int r = 0; r < out.count(); r++) {
            if (r > 0) sb.append(", ");
            JsonText.number(sb, out.numbers(t)[r], model.outputs().get(t).spec().dtype());
        }
        return sb.append("]}").toString();
    }

    private static int output(ServedModel model, String name, String api) {
        int named = indexOf(model, name);
        if (named >= 0) return named;
        if (model.outputs().size() == 1) return 0;
        throw ServingException.badRequest(api + " needs a model with one output, or an output named '" + name
                + "'; this one has " + model.outputs());
    }

    private static int indexOf(ServedModel model, String name) {
        for (int i = 0; i < model.outputs().size(); i++) if (model.outputs().get(i).name().equals(name)) return i;
        return -1;
    }

    static String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
