package org.nabla.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nabla.DType;
import org.nabla.io.Json;
import org.nabla.ops.TensorSpec;

/**
 * A parsed {@code :predict} body in either of TensorFlow Serving's formats: row ({@code "instances"}: one entry per
 * example, an object of named inputs when the model has several) or columnar ({@code "inputs"}: one tensor, or an
 * object of named tensors, whose first dimension is the batch).
 */
record PredictRequest(boolean columnar, Rows rows) {

    /** Parses {@code body} against the model's inputs; every mistake is a 400 that names it. */
    static PredictRequest parse(String body, List<ServedModel.Port> inputs, int maxRows) {
        Map<?, ?> top = jsonObject(body, "with \"instances\" (row format) or \"inputs\" (columnar format)");
        boolean rowFormat = top.containsKey("instances");
        if (rowFormat == top.containsKey("inputs")) throw ServingException.badRequest("the body must have exactly one "
                + "of \"instances\" (row format) and \"inputs\" (columnar format)");
        Rows rows = rowFormat ? fromInstances(top.get("instances"), inputs) : fromInputs(top.get("inputs"), inputs);
        checkCount(rows, maxRows);
        return new PredictRequest(!rowFormat, rows);
    }

    /** The body parsed as a JSON object; 400 otherwise ({@code expected} says what it should hold). */
    static Map<?, ?> jsonObject(String body, String expected) {
        Object json;
        try {
            json = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw ServingException.badRequest("malformed JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> top)) throw ServingException.badRequest("the body must be a JSON object "
                + expected);
        return top;
    }

    /** 400 unless the request holds 1 to {@code maxRows} examples. */
    static void checkCount(Rows rows, int maxRows) {
        if (rows.count() == 0) throw ServingException.badRequest("the request holds no examples");
        if (rows.count() > maxRows) throw ServingException.badRequest("the request holds " + rows.count()
                + " examples, more than the limit of " + maxRows + " (--max-batch-size)");
    }

    /** Row-format examples: one entry per example, an object of named inputs when the model has several. */
    static Rows fromInstances(Object instances, List<ServedModel.Port> inputs) {
        if (!(instances instanceof List<?> list)) throw ServingException.badRequest("\"instances\" must be a list");
        if (list.isEmpty()) throw ServingException.badRequest("the request holds no examples");
        Object[] data = new Object[inputs.size()];
        int[][] dims = new int[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            ServedModel.Port port = inputs.get(i);
            List<Object> column = new ArrayList<>();
            for (Object inst : list) column.add(namedValue(inst, port, inputs.size() == 1, "instance"));
            Object[] out = new Object[1];
            int[] shape = shapeAndValues(column, port, out);
            checkShape(port, shape);
            data[i] = out[0];
            dims[i] = Arrays.copyOfRange(shape, 1, shape.length);
        }
        return new Rows(list.size(), data, dims);
    }

    private static Rows fromInputs(Object value, List<ServedModel.Port> inputs) {
        Object[] data = new Object[inputs.size()];
        int[][] dims = new int[inputs.size()][];
        int count = -1;
        if (value instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (inputs.stream().noneMatch(p -> p.name().equals(k))) throw ServingException.badRequest(
                        "the model has no input '" + k + "'; its inputs are " + names(inputs));
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            ServedModel.Port port = inputs.get(i);
            Object v = namedValue(value, port, inputs.size() == 1, "\"inputs\"");
            Object[] out = new Object[1];
            int[] shape = shapeAndValues(v, port, out);
            if (shape.length == 0) throw ServingException.badRequest("input '" + port.name() + "' is a scalar; it "
                    + "needs a batch dimension, " + port.spec());
            checkShape(port, shape);
            if (count >= 0 && shape[0] != count) throw ServingException.badRequest("the inputs disagree on the batch "
                    + "size: '" + port.name() + "' has " + shape[0] + " rows, the ones before it " + count);
            count = shape[0];
            data[i] = out[0];
            dims[i] = Arrays.copyOfRange(shape, 1, shape.length);
        }
        return new Rows(count, data, dims);
    }

    /** The value of {@code port} in {@code v}: {@code v} itself for a single input given bare, else its entry. */
    private static Object namedValue(Object v, ServedModel.Port port, boolean single, String where) {
        if (v instanceof Map<?, ?> m) {
            if (!m.containsKey(port.name())) throw ServingException.badRequest(where + " lacks input '" + port.name()
                    + "' (" + port.spec() + ")");
            if (single && m.size() > 1) throw ServingException.badRequest(where + " names inputs " + m.keySet()
                    + "; the model takes only '" + port.name() + "'");
            return m.get(port.name());
        }
        if (!single) throw ServingException.badRequest(where + " must be an object naming every input, "
                + "the model takes several");
        return v;
    }

    /** The shape of nested list {@code v} (which must be regular); its values go to {@code out[0]}, row-major. */
    private static int[] shapeAndValues(Object v, ServedModel.Port port, Object[] out) {
        List<Integer> shape = new ArrayList<>();
        for (Object x = v; x instanceof List<?> l; x = l.isEmpty() ? null : l.get(0)) shape.add(l.size());
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        long n = 1;
        for (int d : dims) n *= d;
        if (n > Integer.MAX_VALUE) throw ServingException.badRequest("input '" + port.name() + "' is too large");
        boolean text = port.spec().dtype() == DType.STRING;
        Object values = text ? new String[(int) n] : new double[(int) n];
        int[] at = {0};
        fill(v, dims, 0, values, at, port);
        out[0] = values;
        return dims;
    }

    /** Fills {@code values} (double[], or String[] for a string input) with the leaves of {@code v}, row-major. */
    private static void fill(Object v, int[] dims, int axis, Object values, int[] at, ServedModel.Port port) {
        if (axis == dims.length && values instanceof String[] strings) {
            if (!(v instanceof String text)) throw ServingException.badRequest("input '" + port.name() + "': "
                    + (v instanceof List ? "lists nested unevenly" : "expected a string, got " + Json.write(v).strip()));
            strings[at[0]++] = text;
            return;
        }
        if (axis == dims.length) {
            ((double[]) values)[at[0]++] = switch (v) {
                case Number num -> num.doubleValue();
                case Boolean b -> b ? 1 : 0;
                case null, default -> throw ServingException.badRequest("input '" + port.name() + "': "
                        + (v instanceof List ? "lists nested unevenly" : "expected a number, got " + Json.write(v).strip()));
            };
            return;
        }
        if (!(v instanceof List<?> l) || l.size() != dims[axis]) throw ServingException.badRequest("input '"
                + port.name() + "': a ragged nested list (every list at depth " + axis + " must have " + dims[axis]
                + " entries)");
        for (Object x : l) fill(x, dims, axis + 1, values, at, port);
    }

    static void checkShape(ServedModel.Port port, int[] shape) {
        TensorSpec spec = port.spec();
        int[] want = spec.shape().dims();
        boolean ok = want.length == shape.length;
        for (int i = 0; ok && i < want.length; i++) ok = want[i] == -1 || want[i] == shape[i];
        if (!ok) throw ServingException.badRequest("input '" + port.name() + "' expects shape "
                + spec.shape() + " (None: any size), got " + Arrays.toString(shape));
    }

    private static List<String> names(List<ServedModel.Port> ports) {
        return ports.stream().map(ServedModel.Port::name).toList();
    }
}
